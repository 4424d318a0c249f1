/** `container logs` once its flags are read: the oclif command and the fast path both call this. */
import { openEngine } from '../engine-client';
import type { FlagValues } from '../flags/flag-spec';
import type { engineFlagTable } from '../flags/engine-flags';
import type { logsFlagTable } from './flag-tables';
import { parseLogTime } from '../flags/log-times';
import { pipeChunks } from './pipe-output';

export async function showLogs(
  container: string,
  flags: FlagValues<typeof logsFlagTable> & FlagValues<typeof engineFlagTable>,
): Promise<void> {
  const now = Date.now();
  const since = flags.since === undefined ? undefined : parseLogTime(flags.since, now);
  const until = flags.until === undefined ? undefined : parseLogTime(flags.until, now);
  const engine = await openEngine(flags);
  const opts = { follow: flags.follow, tail: flags.tail, timestamps: flags.timestamps, since, until };
  await pipeChunks(engine.containerLogs(container, { ...opts, stdout: true, stderr: true }));
}
