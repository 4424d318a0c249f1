/** `top` once its flags are read: the project's name (files or -p alone), the services checked, the table. */
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import type { composeTopFlagTable } from './oneoff-verb-flag-tables';
import { projectNameFromFlags } from './project-from-flags';
import { renderComposeTop } from './render-top';
import { checkServices } from './services';

export async function showComposeTop(
  flags: RunFlags<typeof composeTopFlagTable>,
  services: string[],
): Promise<number> {
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, services);
  const { top } = require('../../compose/top') as typeof import('../../compose/top');
  const engine = await openEngine(flags);
  process.stdout.write(renderComposeTop(await top(engine, name, services)));
  return 0;
}
