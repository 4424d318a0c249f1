/**
 * The official docker CLI against a test engine: DOCKER_HOST is the engine's socket, DOCKER_CONFIG
 * a temp dir of the engine's (no user's credentials or contexts leak in, a login stays in the
 * test), and a hung call is SIGKILLed (docker proxies SIGTERM to a container and keeps waiting).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CliEngine } from './cli-engine';
import type { CliResult } from './cli';

/** The docker client on PATH (or the usual places); undefined when there is none: skip then. */
export const DOCKER_BIN: string | undefined = [
  ...(process.env.PATH ?? '').split(':').filter(Boolean),
  '/usr/local/bin',
  '/usr/bin',
]
  .map((dir) => path.join(dir, 'docker'))
  .find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });

const TIMEOUT_MS = 60_000;

export function dockerCli(engine: CliEngine): {
  docker(...args: string[]): CliResult;
  dockerWith(opts: SpawnSyncOptions, ...args: string[]): CliResult;
} {
  const config = path.join(engine.dir, 'docker-config');
  const dockerWith = (opts: SpawnSyncOptions, ...args: string[]): CliResult => {
    if (!DOCKER_BIN) throw new Error('the docker CLI is not installed');
    fs.mkdirSync(config, { recursive: true, mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
      ...engine.env,
      DOCKER_HOST: `unix://${path.join(engine.runRoot, 'engine.sock')}`,
      DOCKER_CONFIG: config,
      ...(opts.env ?? {}),
    };
    for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION'])
      if (!(opts.env && key in opts.env)) delete env[key];
    const r = spawnSync(DOCKER_BIN, args, {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
      ...opts,
      env,
    });
    return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  };
  return { docker: (...args) => dockerWith({}, ...args), dockerWith };
}
