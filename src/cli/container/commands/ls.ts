/** `container ls` (`ps`, `list`). */
import { describe } from '../../command-descriptor';
import { lsFlagTable } from '../flag-tables';

export const lsCommand = describe({
  id: 'container ls',
  aliases: ['ps', 'list'],
  summary: 'List containers',
  examples: [
    '<%= config.bin %> container ls -a',
    '<%= config.bin %> container ls -q --filter label=com.docker.compose.project=demo',
    "<%= config.bin %> container ls --format '{{.Names}}\\t{{.Status}}'",
  ],
  flags: lsFlagTable,
  operands: { count: 'none' },
  async run(flags) {
    const { listContainers } = require('../ls') as typeof import('../ls');
    await listContainers(flags);
    return 0;
  },
});
