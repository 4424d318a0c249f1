/**
 * `ps` once its flags are read (docker compose's `cmd/compose/ps.go`): the project's name, from
 * its files or `-p` alone; the services named checked against the project; `--status` and
 * `--filter status=` applied to the containers' states; then rendered.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';
import { renderPs } from './render-ps';
import type { psFlagTable } from './verb-flag-tables';

const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

/** `--status` values and the one `--filter status=VALUE`, checked. */
export function statusFilter(status: readonly string[] = [], filter?: string): string[] {
  const wanted = [...status];
  if (filter !== undefined) {
    const eq = filter.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError('arguments to --filter should be in form KEY=VAL');
    const key = filter.slice(0, eq);
    if (key !== 'status') throw new InvalidArgumentError(`unknown filter ${key}`);
    wanted.push(filter.slice(eq + 1));
  }
  for (const s of wanted) {
    if (!STATES.includes(s))
      throw new InvalidArgumentError(`invalid status "${s}" (one of: ${STATES.join(', ')})`);
  }
  return wanted;
}

export async function showPs(flags: RunFlags<typeof psFlagTable>, operands: string[]): Promise<number> {
  const statuses = statusFilter(flags.status, flags.filter);
  const { name, project } = projectNameFromFlags(flags);
  let services = operands;
  if (project) {
    checkServices(project, operands);
    // Until asked for everything, only the services the files declare: orphans are left out.
    if (operands.length === 0 && !flags.all) services = Object.keys(project.services);
  }
  const { ps } = require('../../compose/ps') as typeof import('../../compose/ps');
  const engine = await openEngine(flags);
  const entries = await ps(engine, name, { all: flags.all || statuses.length > 0, services });
  const shown = statuses.length > 0 ? entries.filter((e) => statuses.includes(e.container.State)) : entries;
  process.stdout.write(
    renderPs(shown, {
      now: Date.now(),
      format: flags.format,
      noTrunc: flags['no-trunc'],
      quiet: flags.quiet,
      services: flags.services,
    }),
  );
  return 0;
}
