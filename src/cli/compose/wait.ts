/**
 * `wait` once its flags are read (docker compose's `cmd/compose/wait.go`): at least one service;
 * each exit said on stdout; the exit code is the status code the wait returns; with
 * --down-project the project is then taken down, orphans too.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { FlagValues } from '../flags/flag-spec';
import { openEngine } from '../engine-client';
import { progressSink } from './progress/choose';
import { projectNameFromFlags } from './project-from-flags';
import { withProjectLock } from './project-lock';
import { checkServices } from './services';
import type { waitFlagTable } from './state-verb-flag-tables';
import { parallelLimit } from './up';

export async function runWait(
  flags: Partial<FlagValues<typeof waitFlagTable>> & { host?: string },
  services: string[],
): Promise<number> {
  if (services.length === 0) throw new InvalidArgumentError('"wait" requires at least 1 argument');
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, services);
  const { waitForExit } = require('../../compose/wait-exit') as typeof import('../../compose/wait-exit');
  const engine = await openEngine(flags);
  const status = await waitForExit(engine, name, services, (line) => void process.stdout.write(line));
  if (!flags['down-project']) return status;
  const { down } = require('../../compose/down') as typeof import('../../compose/down');
  const progress = progressSink(
    { progress: flags.progress, ansi: flags.ansi, env: process.env, stderrIsTTY: !!process.stderr.isTTY },
    { title: 'Running' },
  );
  try {
    await withProjectLock(name, () =>
      down(
        engine,
        name,
        project,
        { removeOrphans: true },
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
  return status;
}
