/**
 * `wait` once its flags are read (docker compose's `cmd/compose/wait.go`): at least one service;
 * each exit said on stdout; the exit code is the status code the wait returns; with
 * --down-project the project is then taken down, orphans too.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { FlagValues } from '../flags/flag-spec';
import { openEngine } from '../engine-client';
import { takeDown } from './down';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';
import type { waitFlagTable } from './state-verb-flag-tables';

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
  await takeDown(flags, name, project, { removeOrphans: true });
  return status;
}
