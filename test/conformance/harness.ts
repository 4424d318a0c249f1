/**
 * Runs one conformance case through the loader stages the way the corpus README prescribes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../helpers/cli';
import { compare, type Mode } from './compare';
import { loadProject, type LoadOptions } from '../../src/compose-model/loader';
import { parseYaml } from '../../src/compose-model/parse';
import { mergeFiles } from '../../src/compose-model/merge';
import { parseDotenv } from '../../src/compose-model/dotenv';
import * as normalizeModule from '../../src/compose-model/normalize';

export interface CaseSpec {
  kind: 'load' | 'merge' | 'normalize' | 'dotenv' | 'dotenv-table';
  expect: 'success' | 'error';
  files?: string[];
  project_name?: string;
  profiles?: string[];
  options?: {
    skip_normalization?: boolean;
    skip_consistency_check?: boolean;
    skip_validation?: boolean;
    resolve_paths?: boolean;
  };
  compare?: Mode;
  env_files?: string[];
  working_dir?: string;
}

export const ROOTS = ['corpus', 'local'].map((d) => path.join(REPO_ROOT, 'test', 'conformance', d));
const HOME = os.homedir();

function placeholders(text: string, dir: string): string {
  return text.replaceAll('<WORKING_DIR>', dir).replaceAll('<HOME>', HOME);
}

function readExpected(dir: string): unknown {
  for (const name of ['expected.yaml', 'expected.json']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return YAML.parse(placeholders(fs.readFileSync(p, 'utf8'), dir));
  }
  throw new Error(`${dir}: no expected.yaml or expected.json`);
}

function readEnv(dir: string): Record<string, string> {
  const p = path.join(dir, 'env.json');
  if (!fs.existsSync(p)) return {};
  return JSON.parse(placeholders(fs.readFileSync(p, 'utf8'), dir)) as Record<string, string>;
}

/** What the case produces: the model (load/merge/normalize) or the variables (dotenv). */
export function runCase(dir: string, c: CaseSpec): unknown {
  const env = readEnv(dir);
  const files = (c.files ?? ['compose.yaml']).map((f) => path.join(dir, f));
  switch (c.kind) {
    case 'load': {
      const o = c.options ?? {};
      const opts: LoadOptions = {
        workingDir: c.working_dir ? path.join(dir, c.working_dir) : dir,
        configFiles: c.files ? files : undefined,
        projectName: c.project_name,
        profiles: c.profiles,
        envFiles: c.env_files?.map((f) => path.join(dir, f)),
        environment: env,
        normalize: !o.skip_normalization,
        consistency: !o.skip_consistency_check,
        validate: !o.skip_validation,
        resolvePaths: o.resolve_paths ?? true,
        nameFromDirectory: false,
      };
      return loadProject(opts).model;
    }
    case 'merge':
      return mergeFiles(files.map((f) => parseYaml(fs.readFileSync(f, 'utf8'), f))).tree;
    case 'normalize': {
      const normalizeRaw = (normalizeModule as Record<string, unknown>).normalizeRaw as
        | ((pf: unknown, opts: unknown) => { tree: unknown })
        | undefined;
      if (!normalizeRaw) throw new Error('compose-model/normalize does not export normalizeRaw yet');
      const pf = parseYaml(fs.readFileSync(files[0], 'utf8'), files[0]);
      const name = typeof pf.tree.name === 'string' ? pf.tree.name : 'test';
      return normalizeRaw(pf, { projectName: name, projectDir: dir, environment: env }).tree;
    }
    case 'dotenv': {
      const f = path.join(dir, '.env');
      return parseDotenv(fs.readFileSync(f, 'utf8'), f, (k) => env[k]);
    }
    default:
      throw new Error(`unknown case kind ${String(c.kind)}`);
  }
}

export function checkCase(dir: string, c: CaseSpec): void {
  if (c.expect === 'error') {
    const want = fs.readFileSync(path.join(dir, 'expected-error.txt'), 'utf8').trim();
    let err: unknown;
    try {
      runCase(dir, c);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error, `expected an error containing ${JSON.stringify(want)}, but the load succeeded`);
    assert.ok(!err.message.includes('\n'), `error must be one line: ${JSON.stringify(err.message)}`);
    if (want !== '(any error)') {
      assert.ok(err.message.includes(want), `error ${JSON.stringify(err.message)} does not contain ${JSON.stringify(want)}`);
    }
    return;
  }
  const actual = runCase(dir, c);
  const expected = readExpected(dir);
  const diffs = compare(c.compare ?? 'exact', expected, actual);
  // corpus/README.md: in this case the disabled service must be absent, so service names are exact.
  if (path.basename(dir) === 'profiles-inactive-service-dropped') {
    const names = (m: unknown) => Object.keys((m as { services?: object }).services ?? {}).sort();
    diffs.push(...compare('exact', names(expected), names(actual)).map((d) => `service names: ${d}`));
  }
  assert.deepEqual(diffs, [], `${path.basename(dir)} (${c.compare ?? 'exact'}):\n  ${diffs.join('\n  ')}`);
}

