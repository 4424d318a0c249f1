/**
 * The official docker CLI as a second client of a test engine: `docker` from PATH (a suite is
 * skipped, with the reason, where there is none), DOCKER_HOST at the engine's socket, a
 * DOCKER_CONFIG of its own inside the engine's temp dir (no user config, no credentials, no
 * context), and a timeout that SIGKILLs (docker passes a SIGTERM on to the container and
 * keeps waiting).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CliResult } from './cli';

/** What the helper needs of a test engine (useCliEngine's CliEngine has it). */
export interface CliEngineDirs {
  dir: string;
  runRoot: string;
}

export interface DockerCli {
  docker(...args: string[]): CliResult;
  /** With more spawn options (input, timeout, env). */
  dockerWith(opts: SpawnSyncOptions, ...args: string[]): CliResult;
  /** The environment docker runs with (for a command of the test's own, e.g. under `script`). */
  env: NodeJS.ProcessEnv;
}

const TIMEOUT_MS = 60_000;

/** The reason to skip a suite, or false when `docker` runs here. */
export function dockerMissing(): string | false {
  const r = spawnSync('docker', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? false : 'the docker CLI is not on PATH';
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
  const dockerWith = (opts: SpawnSyncOptions, ...args: string[]): CliResult => {
    fs.mkdirSync(config, { recursive: true, mode: 0o700 });
    const r = spawnSync('docker', args, {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
      env,
      ...opts,
    });
    return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  };
  return { docker: (...args) => dockerWith({}, ...args), dockerWith, env };
}
