/** `start`: start the project's existing containers (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { startFlagTable } from '../state-verb-flag-tables';

export const startCommand = describe({
  id: 'start',
  summary: 'Start services',
  description:
    'Starts the containers up or create made and stop left, of the services named and of what they ' +
    'need, dependencies first, each once the conditions its depends_on names hold. A service ' +
    'without any container is an error: create or up makes them.',
  usage: 'start [SERVICE...]',
  examples: [
    '<%= config.bin %> start',
    '<%= config.bin %> start --wait worker',
    '<%= config.bin %> -p demo start',
  ],
  flags: startFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to start (default: all)' },
  async run(flags, operands) {
    const { runStart } = require('../state-verbs') as typeof import('../state-verbs');
    return runStart(flags, operands);
  },
});
