/**
 * `stats` once its flags are read (docker compose's `cmd/compose/stats.go`): the engine-level
 * `stats` over the project's containers only (its label; with a SERVICE, that service's too).
 */
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import { LABEL } from '../../compose/labels';
import type { composeStatsFlagTable } from './oneoff-verb-flag-tables';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';

export async function showComposeStats(
  flags: RunFlags<typeof composeStatsFlagTable>,
  services: string[],
): Promise<number> {
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, services.slice(0, 1));
  const label = [`${LABEL.project}=${name}`];
  if (services.length > 0) label.push(`${LABEL.service}=${services[0]}`);
  const { showStats } = require('../container/stats') as typeof import('../container/stats');
  const engine = await openEngine(flags);
  await showStats(engine, {
    targets: [],
    all: !!flags.all,
    stream: !flags['no-stream'],
    format: flags.format,
    noTrunc: !!flags['no-trunc'],
    out: process.stdout,
    filters: { label },
  });
  return 0;
}
