/**
 * The official docker CLI as a second client of a test engine: `docker` from PATH (a suite is
 * skipped, with the reason, where there is none), DOCKER_HOST at the engine's socket, a
 * DOCKER_CONFIG of its own inside the engine's temp dir (no user config, no credentials, no
 * context), and a timeout that SIGKILLs (docker passes a SIGTERM on to the container and
 * keeps waiting). The engine is started (by the tscompose CLI) before the first call.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CliResult } from './cli';

/** What the helper needs of a test engine (useCliEngine's CliEngine has it). */
export interface CliEngineDirs {
  dir: string;
  runRoot: string;
  cli?(...args: string[]): CliResult;
}

export interface DockerCli {
  docker(...args: string[]): CliResult;
  /** With more spawn options (input, timeout, env added to docker's). */
  dockerWith(opts: SpawnSyncOptions, ...args: string[]): CliResult;
  /** The environment docker runs with (for a command of the test's own, e.g. under `script`). */
  env: NodeJS.ProcessEnv;
}

const TIMEOUT_MS = 120_000;

function findDocker(): string | undefined {
  const r = spawnSync('docker', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return undefined;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = path.join(dir || '.', 'docker');
    if (fs.existsSync(file)) return file;
  }
  return 'docker';
}

/** The docker CLI's path; undefined where it is missing (the suites skip then). */
export const DOCKER_BIN: string | undefined = findDocker();

/** The reason to skip a suite, or false when `docker` runs here. */
export function dockerMissing(): string | false {
  return DOCKER_BIN === undefined ? 'the docker CLI is not on PATH' : false;
}

export function dockerCli(engine: CliEngineDirs): DockerCli {
  const config = path.join(engine.dir, 'docker-config');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: `unix://${path.join(engine.runRoot, 'engine.sock')}`,
    DOCKER_CONFIG: config,
    DOCKER_CLI_HINTS: 'false',
  };
  for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION'])
    delete env[key];
  let started = false;
  const dockerWith = (opts: SpawnSyncOptions, ...args: string[]): CliResult => {
    if (!DOCKER_BIN) throw new Error('the docker CLI is not installed');
    if (!started && engine.cli) {
      const up = engine.cli('container', 'ls');
      if (up.status !== 0) throw new Error(`the engine did not start: ${up.stderr}`);
    }
    started = true;
    fs.mkdirSync(config, { recursive: true, mode: 0o700 });
    const r = spawnSync(DOCKER_BIN, args, {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
      ...opts,
      env: { ...env, ...(opts.env ?? {}) },
    });
    return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  };
  return { docker: (...args) => dockerWith({}, ...args), dockerWith, env };
}
