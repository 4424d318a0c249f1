/** `logs`: the output of the project's containers (not `container logs`, one container's). */
import { describe } from '../../command-descriptor';
import { composeLogsFlagTable } from '../verb-flag-tables';

export const composeLogsCommand = describe({
  id: 'logs',
  summary: 'View output from containers',
  description:
    'Every line behind its container\'s "service-n  | " prefix. With -f, the running containers ' +
    'are followed, restarted and new ones too, until none of them runs any more. A leading -f ' +
    '(before "logs") names a compose file; after it, -f is --follow.',
  usage: 'logs [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> logs -f --tail 10',
    '<%= config.bin %> -f compose.yaml logs -t web',
    '<%= config.bin %> logs --index 2 --no-log-prefix web',
  ],
  flags: composeLogsFlagTable,
  operands: { count: 'any', name: 'service', description: 'Services whose logs to show' },
  async run(flags, operands) {
    const { showComposeLogs } = require('../logs') as typeof import('../logs');
    return showComposeLogs(flags, operands);
  },
});
