/**
 * `include:` — each entry is a Compose project of its own (its own project directory and env
 * files, its relative paths resolved there), whose resources join the including model. As in
 * compose-go, entry paths of a project file are relative to the project directory, the
 * including project's variables win over the included env files, and a file that includes
 * itself again is an error. A resource defined on both sides is an error unless both
 * definitions are the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ComposeError } from '../common/errors';
import type { FileContext } from './types';
import { srcAt } from './merge';
import { isObj, type Obj, locate, pointer, type LocMap, type ParsedFile } from './source';

const KINDS = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'];

export function applyIncludes(pf: ParsedFile, ctx: FileContext): ParsedFile {
  const entries = pf.tree.include;
  if (entries === undefined || entries === null) return pf;
  if (!Array.isArray(entries)) {
    throw new ComposeError('`include` must be a list', locate(pf.locs, pointer(['include'])));
  }
  const base = ctx.projectDir ?? (pf.file === '-' ? process.cwd() : path.dirname(pf.file));
  const tree: Obj = { ...pf.tree };
  delete tree.include;
  const locs: LocMap = new Map(pf.locs);
  for (const k of [...locs.keys()]) if (k === '/include' || k.startsWith('/include/')) locs.delete(k);
  const chain = [...ctx.includeChain, pf.file];
  const show = (f: string) => path.relative(base, f) || f;

  entries.forEach((entry, i) => {
    const loc = locate(pf.locs, pointer(['include', i]));
    const spec: Obj = isObj(entry) ? entry : { path: entry };
    const paths = Array.isArray(spec.path) ? spec.path : spec.path === undefined ? [] : [spec.path];
    if (paths.length === 0) throw new ComposeError('include: path is required', loc);
    const files = paths.map((p) => path.resolve(base, String(p)));
    const missing = files.find((f) => !fs.existsSync(f));
    if (missing) {
      throw new ComposeError(`open ${missing}: no such file or directory`, loc, {
        code: 'FILE_NOT_FOUND',
        exitCode: 14,
      });
    }
    if (chain.includes(files[0])) {
      throw new ComposeError(`include cycle detected: ${[...chain, files[0]].map(show).join(' -> ')}`, loc);
    }
    const projectDir =
      typeof spec.project_directory === 'string' && spec.project_directory !== ''
        ? path.resolve(base, spec.project_directory)
        : path.dirname(files[0]);
    const envFiles = includeEnvFiles(
      spec.env_file,
      base,
      projectDir,
      locate(pf.locs, pointer(['include', i, 'env_file'])) ?? loc,
    );
    const included = ctx.loadInclude(files, projectDir, envFiles, chain);

    for (const kind of KINDS) {
      const theirs = included.tree[kind];
      if (!isObj(theirs)) continue;
      const ours: Obj = isObj(tree[kind]) ? { ...(tree[kind] as Obj) } : {};
      for (const [name, value] of Object.entries(theirs)) {
        if (name in ours) {
          if (isDeepStrictEqual(ours[name], value)) continue;
          throw new ComposeError(
            `${kind}.${name} conflicts with imported resource`,
            locate(pf.locs, pointer([kind, name])) ?? loc,
          );
        }
        ours[name] = value;
        srcAt(included.locs, pointer([kind, name])).copy(locs, pointer([kind, name]));
      }
      tree[kind] = ours;
      if (!locs.has(pointer([kind]))) {
        const at = included.locs.get(pointer([kind]));
        if (at) locs.set(pointer([kind]), at);
      }
    }
  });
  return { file: pf.file, tree, locs };
}

/**
 * The env files of an included project: those named (relative to the including project, which
 * must exist; `/dev/null` stands for none), else its own `.env` if there is one.
 */
function includeEnvFiles(
  value: unknown,
  base: string,
  projectDir: string,
  loc: ReturnType<typeof locate>,
): string[] {
  if (value === undefined || value === null) {
    const dotenv = path.join(projectDir, '.env');
    return isFile(dotenv) ? [dotenv] : [];
  }
  const out: string[] = [];
  for (const f of Array.isArray(value) ? value : [value]) {
    const s = String(f);
    if (s === '/dev/null') continue;
    const abs = path.resolve(base, s);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new ComposeError(`stat ${abs}: no such file or directory`, loc, { exitCode: 14 });
    }
    if (st.isDirectory()) throw new ComposeError(`${abs} is not a file`, loc);
    out.push(abs);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
