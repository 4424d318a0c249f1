/** `down`: stop and remove the project's containers and networks (and with -v its volumes). */
import { describe } from '../../command-descriptor';
import { downFlagTable } from '../verb-flag-tables';

export const downCommand = describe({
  id: 'down',
  summary: 'Stop and remove containers, networks',
  description:
    'Works from the compose files, or with -p NAME from the labels alone. What cannot be removed is ' +
    'named with the reason, and the exit code is then 1.',
  usage: 'down [OPTIONS]',
  examples: [
    '<%= config.bin %> down',
    '<%= config.bin %> down -v --remove-orphans -t 0',
    '<%= config.bin %> -p demo down --rmi local',
  ],
  flags: downFlagTable,
  operands: { count: 'none' },
  async run(flags) {
    const { runDown } = require('../down') as typeof import('../down');
    return runDown(flags);
  },
});
