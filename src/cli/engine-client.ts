/**
 * What every engine command shares: the `-H/--host` flag, the connection, docker's wording for
 * the daemon's refusals, and docker's way with several containers at once.
 */
import type { EngineApi } from '../engine-api/engine-api';
import { DAEMON, isDaemonError } from '../engine-api/errors';
import { TscomposeError } from '../common/errors';
import { engineFlagTable } from './flags/engine-flags';
import { oclifFlags } from './flags/oclif-flags';
import { requireOperands } from './flags/usage';

export const engineFlags = oclifFlags(engineFlagTable);

export async function openEngine(flags: { host?: string }): Promise<EngineApi> {
  // Required here, not at the top: `--help` and argument errors must not load the client.
  const { connectEngine } = require('../engine-api/connect') as typeof import('../engine-api/connect');
  const env = flags.host ? { ...process.env, TSCOMPOSE_HOST: flags.host } : process.env;
  return connectEngine({ env });
}

/** The engine for a command of one or more targets (`start`, `rm`, `inspect`…), once there is one. */
export async function engineForTargets(
  command: string,
  targets: string[],
  flags: { host?: string },
): Promise<EngineApi> {
  requireOperands(command, targets, 1);
  return openEngine(flags);
}

/**
 * An error the engine answered, as opposed to one on our side of the socket: over HTTP one
 * the daemon sent; in-process, any of the engine's own kinds.
 */
export function isEngineError(err: unknown): err is TscomposeError {
  return isDaemonError(err) || (err instanceof TscomposeError && err.kind !== 'system');
}

/** docker prefixes what the daemon said; `exitCode` is the command's code for any failure. */
export function daemonError(err: unknown, exitCode?: number): Error {
  if (isEngineError(err)) {
    const message = err.message.startsWith(DAEMON) ? err.message : `${DAEMON}${err.message}`;
    return new TscomposeError(message, { code: err.code, exitCode: exitCode ?? 1, cause: err });
  }
  if (exitCode === undefined) return err as Error;
  const message = (err as Error)?.message ?? String(err);
  return new TscomposeError(message, { code: 'ENGINE', exitCode, cause: err });
}

/**
 * Several containers (or images): each one is tried; what succeeded prints as it goes, what
 * failed is reported at the end, one line each, and the command exits 1.
 */
export async function forEachTarget(
  targets: string[],
  act: (target: string) => Promise<string | string[] | undefined>,
): Promise<void> {
  const errors: string[] = [];
  for (const target of targets) {
    try {
      const out = await act(target);
      for (const line of out === undefined ? [] : [out].flat()) process.stdout.write(`${line}\n`);
    } catch (err) {
      errors.push(daemonError(err).message);
    }
  }
  if (errors.length > 0) throw new TscomposeError(errors.join('\n'), { code: 'PARTIAL_FAILURE' });
}
