/** `stop`: stop the project's running containers, keeping them (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { stopFlagTable } from '../state-verb-flag-tables';

export const stopCommand = describe({
  id: 'stop',
  summary: 'Stop services',
  description:
    'Stops the running containers of the services (and of what depends on them) without removing ' +
    'them: start brings them back, with their volumes. Dependents stop first. Works from the ' +
    'compose files or with -p NAME from the labels alone.',
  usage: 'stop [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> stop',
    '<%= config.bin %> stop -t 2 worker',
    '<%= config.bin %> -p demo stop',
  ],
  flags: stopFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to stop (default: all)' },
  async run(flags, operands) {
    const { runStop } = require('../state-verbs') as typeof import('../state-verbs');
    return runStop(flags, operands);
  },
});
