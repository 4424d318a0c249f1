/**
 * `events` once its flags are read (docker compose's `cmd/compose/events.go`): the project's
 * container events, of the services named or all, from --since to --until or on and on, one
 * plain line or one JSON object each. The engine's own stream is `system events`.
 */
import { once } from 'node:events';
import type { FlagValues } from '../flags/flag-spec';
import { openEngine } from '../engine-client';
import { parseLogTime } from '../flags/log-times';
import { projectNameFromFlags } from './project-from-flags';
import { composeEventJson, composeEventLine } from './render-events';
import { checkServices } from './services';
import type { composeEventsFlagTable } from './state-verb-flag-tables';

export async function showComposeEvents(
  flags: Partial<FlagValues<typeof composeEventsFlagTable>> & { host?: string },
  services: string[],
): Promise<number> {
  const now = Date.now();
  const since = flags.since === undefined ? undefined : parseLogTime(flags.since, now);
  const until = flags.until === undefined ? undefined : parseLogTime(flags.until, now);
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, services);
  const { projectEvents } =
    require('../../compose/project-events') as typeof import('../../compose/project-events');
  const engine = await openEngine(flags);
  const render = flags.json ? composeEventJson : composeEventLine;
  for await (const e of projectEvents(engine, name, { services, since, until })) {
    if (!process.stdout.write(`${render(e)}\n`)) await once(process.stdout, 'drain');
  }
  return 0;
}
