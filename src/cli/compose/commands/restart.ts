/** `restart`: restart the project's containers (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { restartFlagTable } from '../state-verb-flag-tables';

export const restartCommand = describe({
  id: 'restart',
  summary: 'Restart service containers',
  description:
    'Restarts every container of the services, stopped ones too, dependencies first, with the ' +
    'services that name them in depends_on with "restart: true" (not with --no-deps). -t is how ' +
    'long each may take to stop before it is killed. The compose files are not read again: up ' +
    'applies a changed file.',
  usage: 'restart [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> restart',
    '<%= config.bin %> restart -t 2 web',
    '<%= config.bin %> restart --no-deps web',
  ],
  flags: restartFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to restart (default: all)' },
  async run(flags, operands) {
    const { runRestart } = require('../state-verbs') as typeof import('../state-verbs');
    return runRestart(flags, operands);
  },
});
