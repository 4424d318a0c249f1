/**
 * Which files, which project directory, which environment and profiles a load uses — the
 * rules of compose-go's cli/options.go: `-f`, else COMPOSE_FILE, else the default names searched
 * upward; `.env` next to the first compose file unless `--env-file`/COMPOSE_ENV_FILES.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../common/errors';
import { parseDotenv } from './dotenv';
import type { LoadOptions } from './types';
import type { ParsedFile } from './source';

export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const DEFAULT_OVERRIDE_FILES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

export interface Discovery {
  configFiles: string[];
  projectDir: string;
  envFiles: string[];
  /** OS environment over the env files: what interpolation sees. */
  environment: Record<string, string>;
  profiles: string[];
  stdin?: string;
}

export function resolveDiscovery(opts: LoadOptions): Discovery {
  const osEnv = definedOnly(opts.environment);
  const cwd = path.resolve(opts.workingDir);
  const baseDir = opts.projectDirectory ? path.resolve(cwd, opts.projectDirectory) : cwd;
  // COMPOSE_* settings may come from a .env in the working directory, as docker compose allows.
  const settings = { ...readDotenvIfPresent(path.join(baseDir, '.env'), osEnv), ...osEnv };

  const configFiles = resolveConfigFiles(opts, settings, cwd);
  const firstReal = configFiles.find((f) => f !== '-');
  const projectDir = opts.projectDirectory ? baseDir : firstReal ? path.dirname(firstReal) : cwd;

  const envFiles = resolveEnvFiles(opts, settings, cwd, projectDir);
  const fromFiles: Record<string, string> = {};
  for (const f of envFiles) {
    const text = readEnvFile(f);
    Object.assign(
      fromFiles,
      parseDotenv(text, f, (k) => osEnv[k] ?? fromFiles[k]),
    );
  }
  const environment = { ...fromFiles, ...osEnv };

  const profiles =
    opts.profiles && opts.profiles.length > 0
      ? opts.profiles
      : splitList(environment.COMPOSE_PROFILES ?? '', ',');
  return { configFiles, projectDir, envFiles, environment, profiles, stdin: opts.stdin };
}

function resolveConfigFiles(opts: LoadOptions, settings: Record<string, string>, cwd: string): string[] {
  if (opts.configFiles && opts.configFiles.length > 0) {
    return opts.configFiles.map((f) => (f === '-' ? f : path.resolve(cwd, f)));
  }
  if (settings.COMPOSE_FILE) {
    const sep = settings.COMPOSE_PATH_SEPARATOR || path.delimiter;
    return splitList(settings.COMPOSE_FILE, sep).map((f) => path.resolve(cwd, f));
  }
  for (let dir = opts.projectDirectory ? path.resolve(cwd, opts.projectDirectory) : cwd; ;) {
    const main = DEFAULT_FILES.map((n) => path.join(dir, n)).find(isFile);
    if (main) {
      const override = DEFAULT_OVERRIDE_FILES.map((n) => path.join(dir, n)).find(isFile);
      return override ? [main, override] : [main];
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ComposeError('no configuration file provided: not found', undefined, {
    code: 'NO_CONFIG_FILE',
    exitCode: 14,
  });
}

function resolveEnvFiles(
  opts: LoadOptions,
  settings: Record<string, string>,
  cwd: string,
  projectDir: string,
): string[] {
  if (opts.envFiles && opts.envFiles.length > 0) return opts.envFiles.map((f) => path.resolve(cwd, f));
  if (settings.COMPOSE_ENV_FILES)
    return splitList(settings.COMPOSE_ENV_FILES, ',').map((f) => path.resolve(cwd, f));
  if (settings.COMPOSE_DISABLE_ENV_FILE && /^(1|true)$/i.test(settings.COMPOSE_DISABLE_ENV_FILE)) return [];
  const dotenv = path.join(projectDir, '.env');
  return isFile(dotenv) ? [dotenv] : [];
}

/** Project name precedence: -p, COMPOSE_PROJECT_NAME, top-level `name:`, directory name. */
export function resolveProjectName(
  opts: LoadOptions & { nameFromDirectory?: boolean },
  d: Discovery,
  merged: ParsedFile,
): string {
  const imperative = opts.projectName ?? d.environment.COMPOSE_PROJECT_NAME;
  if (imperative !== undefined && imperative !== '') {
    if (normalizeProjectName(imperative) !== imperative) throw invalidName(imperative);
    return imperative;
  }
  const fromFile = merged.tree.name;
  if (typeof fromFile === 'string' && fromFile !== '') {
    const n = normalizeProjectName(fromFile);
    if (n === '') throw invalidName(fromFile);
    return n;
  }
  if (opts.nameFromDirectory !== false) {
    const n = normalizeProjectName(path.basename(d.projectDir));
    if (n !== '') return n;
  }
  throw new ComposeError('project name must not be empty', undefined, { code: 'PROJECT_NAME' });
}

export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

function invalidName(name: string): ComposeError {
  return new ComposeError(
    `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
    undefined,
    { code: 'PROJECT_NAME' },
  );
}

function readEnvFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ComposeError(`Couldn't find env file: ${file}`, undefined, {
      code: 'ENV_FILE',
      cause: err,
      exitCode: 14,
    });
  }
}

function readDotenvIfPresent(file: string, osEnv: Record<string, string>): Record<string, string> {
  if (!isFile(file)) return {};
  try {
    return parseDotenv(fs.readFileSync(file, 'utf8'), file, (k) => osEnv[k]);
  } catch {
    return {}; // reported properly when the env files are read for the project itself
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function splitList(s: string, sep: string): string[] {
  return s
    .split(sep)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
