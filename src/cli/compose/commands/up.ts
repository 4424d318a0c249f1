/** `up`: create and start the project's containers (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { upFlagTable } from '../verb-flag-tables';

export const upCommand = describe({
  id: 'up',
  summary: 'Create and start containers',
  description:
    'Builds the way from what runs now to what the compose files say and changes only what differs. ' +
    "Attached (no -d) it shows the containers' output until they exit or Ctrl-C stops them. " +
    "Exit codes: the --exit-code-from service's, or the code of the container whose exit aborted " +
    'under --abort-on-container-exit/--abort-on-container-failure; 1 for a failed --wait or a failed ' +
    'create or start; 15 for a compose file it cannot accept; 130 when interrupted.',
  usage: 'up [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> up -d --wait',
    '<%= config.bin %> up --abort-on-container-exit --exit-code-from tests',
    '<%= config.bin %> up -d --scale worker=3 --remove-orphans',
    '<%= config.bin %> up --dry-run',
  ],
  flags: upFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to bring up (default: all)' },
  async run(flags, operands) {
    const { runUp } = require('../up') as typeof import('../up');
    return runUp(flags, operands);
  },
});
