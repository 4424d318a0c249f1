/**
 * The official docker CLI (a client only) driven against a test file's engine: DOCKER_HOST is
 * the engine's socket and DOCKER_CONFIG a private folder, so nothing of the machine's docker
 * setup is read or written. The engine is started (by the tscompose CLI) before the first call.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import type { CliEngine } from './cli-engine';
import type { CliResult } from './cli';

const CANDIDATE = '/usr/local/bin/docker';

/** The docker CLI's path; undefined where it is missing (the suites skip then). */
export const DOCKER_BIN: string | undefined = fs.existsSync(CANDIDATE) ? CANDIDATE : undefined;

export function dockerCli(engine: CliEngine): {
  docker(...args: string[]): CliResult;
  dockerWith(opts: SpawnSyncOptions, ...args: string[]): CliResult;
} {
  let started = false;
  const dockerWith = (opts: SpawnSyncOptions, ...args: string[]): CliResult => {
    if (!DOCKER_BIN) throw new Error('the docker CLI is not installed');
    if (!started) {
      const up = engine.cli('container', 'ls');
      if (up.status !== 0) throw new Error(`the engine did not start: ${up.stderr}`);
      started = true;
    }
    const config = path.join(engine.dir, 'docker-config');
    fs.mkdirSync(config, { recursive: true });
    const r = spawnSync(DOCKER_BIN, args, {
      encoding: 'utf8',
      timeout: 120_000,
      killSignal: 'SIGKILL', // docker proxies SIGTERM to the container and keeps waiting
      ...opts,
      env: {
        ...engine.env,
        DOCKER_HOST: `unix://${path.join(engine.runRoot, 'engine.sock')}`,
        DOCKER_CONFIG: config,
        ...(opts.env ?? {}),
      },
    });
    return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  };
  return { docker: (...args) => dockerWith({}, ...args), dockerWith };
}
