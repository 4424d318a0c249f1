/** `events`: the project's container events (docker compose's); the engine's are `system events`. */
import { describe } from '../../command-descriptor';
import { composeEventsFlagTable } from '../state-verb-flag-tables';

export const composeEventsCommand = describe({
  id: 'events',
  summary: 'Receive real time events from containers',
  description:
    "The project's containers being created, started, dying, restarted, removed… one line each, " +
    'or with --json one object each ({"action","attributes","id","service","time","type"}). ' +
    "--since replays the past, --until ends the stream. The engine-wide stream, with docker's " +
    'filters, is `system events`.',
  usage: 'events [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> events --json',
    '<%= config.bin %> -p demo events --since 10m --until 0s web',
  ],
  flags: composeEventsFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services whose events to show (default: all)' },
  async run(flags, operands) {
    const { showComposeEvents } = require('../events') as typeof import('../events');
    return showComposeEvents(flags, operands);
  },
});
