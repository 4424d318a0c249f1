/** `ls`: the compose projects the engine's containers belong to (not `container ls`). */
import { describe } from '../../command-descriptor';
import { lsFlagTable } from '../registry-verb-flag-tables';

export const lsCommand = describe({
  id: 'ls',
  summary: 'List running compose projects',
  description:
    "Projects are found by their containers' labels, with each state counted (running(2)) and the " +
    'compose files they were made from. Without -a, only projects with a running container.',
  usage: 'ls [OPTIONS]',
  examples: [
    '<%= config.bin %> ls',
    '<%= config.bin %> ls -a --format json',
    '<%= config.bin %> ls -q --filter name=demo',
  ],
  flags: lsFlagTable,
  operands: { count: 'none' },
  async run(flags) {
    const { runLs } = require('../ls') as typeof import('../ls');
    return runLs(flags);
  },
});
