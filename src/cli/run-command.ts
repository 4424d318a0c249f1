/**
 * What `container run` does once its request is built and the engine reached: the oclif command
 * and the fast path both end here.
 */
import type { EngineApi } from '../engine-api/engine-api';
import { runAttached, runDetached } from './run-container';
import type { RunFlagValues } from './run-flag-defs';
import type { CreateRequest } from './run-flags';

/** The exit code: the container's, or 0 once a detached one runs (its id printed). */
export async function runContainer(
  flags: RunFlagValues,
  req: CreateRequest,
  engine: EngineApi,
): Promise<number> {
  if (flags.detach) {
    process.stdout.write(`${await runDetached(engine, req)}\n`);
    return 0;
  }
  if (!flags.tty && !flags.interactive) return runAttached(engine, req);
  // Required here: a run without a session has no use for the terminal code.
  const { runInteractive } = require('./run-interactive') as typeof import('./run-interactive');
  return runInteractive(engine, req, { detachKeys: flags['detach-keys'] });
}
