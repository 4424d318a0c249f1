/** `container logs`. */
import { describe } from '../../command-descriptor';
import { logsFlagTable } from '../flag-tables';

export const logsCommand = describe({
  id: 'container logs',
  summary: 'Fetch the logs of a container',
  description:
    "The container's stdout goes to stdout, its stderr to stderr. --since and --until take a " +
    'duration back from now (10m, 1h30m), an RFC 3339 date or time, or unix seconds.',
  examples: [
    '<%= config.bin %> container logs -f --tail 10 web',
    '<%= config.bin %> container logs --since 10m -t web',
  ],
  flags: logsFlagTable,
  operands: { count: 'one', name: 'container', description: 'Container name or id' },
  async run(flags, operands) {
    const { showLogs } = require('../logs') as typeof import('../logs');
    await showLogs(operands[0], flags);
    return 0;
  },
});
