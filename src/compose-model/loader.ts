/**
 * The loader pipeline, in compose-go's order: for each file parse → interpolate → validate its
 * schema → include → extends; then merge the files, pick the project name, apply profiles,
 * check consistency and normalize. Every stage is a pure function in a module of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../common/errors';
import { normalizeProjectName, resolveDiscovery, resolveProjectName, type Discovery } from './discovery';
import { applyExtends } from './extends';
import { applyIncludes } from './include';
import { interpolateFile, substitute, type Lookup } from './interpolate';
import { enforceUnicity, mergeFiles } from './merge';
import { normalizeModel, resolvePaths } from './normalize';
import { canonicalize } from './canonical';
import { resolveEnvFiles } from './service-env';
import { parseYaml } from './parse';
import { applyProfiles } from './profiles';
import { checkConsistency } from './consistency';
import { validateSchema } from './schema';
import { toTypedModel } from './typed';
import type { ParsedFile } from './source';
import type { FileContext, LoadOptions, Project } from './types';

export type { FileContext, LoadOptions, Project } from './types';

/** The per-file front half of the pipeline, also used for files reached by include/extends. */

export function loadProject(opts: LoadOptions): Project {
  const d = resolveDiscovery(opts);
  const lookup: Lookup = (name) => d.environment[name];
  presetProjectName(opts, d);
  const ctx = makeContext(opts, lookup, d);
  const files = d.configFiles.map((f) => processFile(ctx.loadFile(f), ctx));
  const merged = mergeFiles(files);
  const name = resolveProjectName(opts, d, merged);
  d.environment.COMPOSE_PROJECT_NAME = name;
  // compose-go again: long forms can reveal duplicates (`8080:80` and {target: 80, published: 8080}).
  let canonical = enforceUnicity(canonicalize(merged));
  if (opts.resolveEnvironment !== false) canonical = resolveEnvFiles(canonical, d.projectDir, lookup);
  const { model, disabled } = applyProfiles(canonical, d.profiles);
  if (opts.consistency !== false) checkConsistency(model);
  const normalized =
    opts.normalize === false
      ? model
      : normalizeModel(model, {
          projectName: name,
          projectDir: d.projectDir,
          environment: d.environment,
          resolvePaths: opts.resolvePaths !== false,
          resolveEnvironment: opts.resolveEnvironment !== false,
        });
  if (opts.normalize === false && opts.resolvePaths !== false)
    resolvePaths(normalized.tree, d.projectDir, d.environment);
  if (opts.normalize !== false || merged.tree.name !== undefined) normalized.tree.name = name;
  const typed =
    (opts.typed ?? opts.interpolate !== false)
      ? toTypedModel(normalized.tree, disabled, normalized.locs)
      : { services: {}, disabled: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {} };
  return {
    ...typed,
    name,
    workingDir: d.projectDir,
    configFiles: d.configFiles,
    envFiles: d.envFiles,
    environment: d.environment,
    profiles: d.profiles,
    model: normalized.tree,
    disabledServices: disabled,
    locs: normalized.locs,
  };
}

/**
 * Interpolation may use COMPOSE_PROJECT_NAME, so the name is known before the files are
 * interpolated: -p, the environment, else the last top-level `name:` (peeked at only when a file
 * refers to the variable), else the directory.
 */
function presetProjectName(opts: LoadOptions, d: Discovery): void {
  if (d.environment.COMPOSE_PROJECT_NAME !== undefined) return;
  if (opts.projectName) {
    d.environment.COMPOSE_PROJECT_NAME = opts.projectName;
    return;
  }
  const texts = d.configFiles.filter((f) => f !== '-').map(readComposeFile);
  if (!texts.some((t) => t.includes('COMPOSE_PROJECT_NAME'))) return;
  let name: string | undefined;
  for (const t of texts) {
    const m = /^name:[ \t]*(["']?)([^"'\n#]*?)\1[ \t]*(?:#.*)?$/m.exec(t);
    if (m) name = substitute(m[2], (k) => d.environment[k]);
  }
  const normalized = normalizeProjectName(
    name ?? (opts.nameFromDirectory !== false ? path.basename(d.projectDir) : ''),
  );
  if (normalized) d.environment.COMPOSE_PROJECT_NAME = normalized;
}

function processFile(pf: ParsedFile, ctx: FileContext): ParsedFile {
  return applyExtends(applyIncludes(pf, ctx), ctx);
}

function makeContext(opts: LoadOptions, lookup: Lookup, d: Discovery): FileContext {
  const interpolate = opts.interpolate !== false;
  const ctx: FileContext = {
    lookup,
    interpolate,
    projectDir: d.projectDir,
    includeChain: opts.includeChain ?? [],
    loadFile(file, fileLookup = lookup) {
      const text = file === '-' ? (d.stdin ?? '') : readComposeFile(file);
      let pf = parseYaml(text, file);
      if (interpolate) pf = interpolateFile(pf, fileLookup);
      if (opts.validate !== false) validateSchema(pf);
      return pf;
    },
    loadInclude(files, projectDirectory, envFiles, chain) {
      // compose-go: the including project's variables win over the included env files.
      const sub = loadProject({
        ...opts,
        environment: { ...d.environment },
        workingDir: projectDirectory,
        projectDirectory,
        configFiles: files,
        envFiles: envFiles && envFiles.length > 0 ? envFiles : ['/dev/null'],
        profiles: ['*'],
        normalize: false,
        consistency: false,
        typed: false,
        projectName: 'include',
        includeChain: chain,
      });
      return { file: files[0], tree: sub.model, locs: sub.locs };
    },
  };
  return ctx;
}

function readComposeFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file or directory' : e.message;
    throw new ComposeError(`open ${path.resolve(file)}: ${why}`, undefined, {
      code: 'FILE_NOT_FOUND',
      cause: err,
      exitCode: 14,
    });
  }
}
