/** `stats`: resource usage of the project's containers (not `container stats`, the engine's). */
import { describe } from '../../command-descriptor';
import { composeStatsFlagTable } from '../oneoff-verb-flag-tables';

export const composeStatsCommand = describe({
  id: 'stats',
  summary: 'Display a live stream of container(s) resource usage statistics',
  description:
    "The project's running containers (-a: all; a SERVICE: its own), each second until " +
    'interrupted, or once with --no-stream.',
  usage: 'stats [OPTIONS] [SERVICE]',
  examples: [
    '<%= config.bin %> stats --no-stream',
    "<%= config.bin %> stats --no-stream --format '{{.Name}} {{.MemUsage}}' web",
  ],
  flags: composeStatsFlagTable,
  operands: { count: 'any', name: 'service', description: 'The service whose containers to show' },
  async run(flags, operands) {
    const { showComposeStats } = require('../stats') as typeof import('../stats');
    return showComposeStats(flags, operands);
  },
});
