/**
 * `down` once its flags are read: the project from its files, or by name alone (`-p NAME` where
 * no compose file is found), taken down by the compose service with progress on stderr.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { FlagValues } from '../flags/flag-spec';
import { openEngine } from '../engine-client';
import { progressSink } from './progress/choose';
import { projectNameFromFlags } from './project-from-flags';
import { withProjectLock } from './project-lock';
import { parallelLimit } from './up';
import type { downFlagTable } from './verb-flag-tables';

export type DownFlags = Partial<FlagValues<typeof downFlagTable>> & { host?: string };

export async function runDown(flags: DownFlags): Promise<number> {
  const rmi = flags.rmi;
  if (rmi !== undefined && rmi !== 'local' && rmi !== 'all')
    throw new InvalidArgumentError(`invalid --rmi option "${rmi}" (local or all)`);
  if (flags.timeout !== undefined && flags.timeout < 0)
    throw new InvalidArgumentError('--timeout must not be negative');
  const { name, project } = projectNameFromFlags(flags);
  const { down } = require('../../compose/down') as typeof import('../../compose/down');
  const engine = await openEngine(flags);
  const progress = progressSink(
    { progress: flags.progress, ansi: flags.ansi, env: process.env, stderrIsTTY: !!process.stderr.isTTY },
    { title: 'Running', dryRun: flags['dry-run'] },
  );
  try {
    await withProjectLock(name, () =>
      down(
        engine,
        name,
        project,
        {
          removeOrphans: flags['remove-orphans'],
          volumes: flags.volumes,
          images: rmi,
          timeoutSeconds: flags.timeout,
          dryRun: flags['dry-run'],
        },
        {
          progress,
          print: (text) => void process.stdout.write(text),
          warn: (message) => void process.stderr.write(`WARN[0000] ${message}\n`),
          parallelLimit: parallelLimit(flags.parallel),
        },
      ),
    );
  } finally {
    await progress.done();
  }
  return 0;
}
