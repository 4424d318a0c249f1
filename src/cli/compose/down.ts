/**
 * `down` once its flags are read: the project from its files, or by name alone (`-p NAME` where
 * no compose file is found), taken down by the compose service with progress on stderr.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { FlagValues } from '../flags/flag-spec';
import { openEngine } from '../engine-client';
import type { Project } from '../../compose-model/types';
import type { DownOptions } from '../../compose/down';
import { progressFromFlags } from './progress/choose';
import { projectNameFromFlags, type ComposeGlobalValues } from './project-from-flags';
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
  await takeDown(flags, name, project, {
    removeOrphans: flags['remove-orphans'],
    volumes: flags.volumes,
    images: rmi,
    timeoutSeconds: flags.timeout,
    dryRun: flags['dry-run'],
  });
  return 0;
}

/** The project taken down under its lock, with progress on stderr (also `wait --down-project`'s). */
export async function takeDown(
  flags: ComposeGlobalValues & { host?: string },
  name: string,
  project: Project | undefined,
  options: DownOptions,
): Promise<void> {
  const { down } = require('../../compose/down') as typeof import('../../compose/down');
  const engine = await openEngine(flags);
  const progress = progressFromFlags(flags);
  try {
    await withProjectLock(name, () =>
      down(engine, name, project, options, {
        progress,
        print: (text) => void process.stdout.write(text),
        warn: (message) => void process.stderr.write(`WARN[0000] ${message}\n`),
        parallelLimit: parallelLimit(flags.parallel),
      }),
    );
  } finally {
    await progress.done();
  }
}
