/** `kill`: send a signal to the project's running containers (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { killFlagTable } from '../state-verb-flag-tables';

export const killCommand = describe({
  id: 'kill',
  summary: 'Force stop service containers',
  description:
    'Sends SIGKILL, or the -s signal (a name such as SIGUSR1 or HUP, or a number), to every running ' +
    "container of the services, run's one-off containers too; with --remove-orphans to those of " +
    'services the files no longer declare as well.',
  usage: 'kill [OPTIONS] [SERVICE...]',
  examples: ['<%= config.bin %> kill', '<%= config.bin %> kill -s SIGHUP web'],
  flags: killFlagTable,
  operands: {
    count: 'any',
    name: 'services',
    description: 'Services whose containers to signal (default: all)',
  },
  async run(flags, operands) {
    const { runKill } = require('../state-verbs') as typeof import('../state-verbs');
    return runKill(flags, operands);
  },
});
