/** `wait`: block until the services' containers exit; their exit code is the command's. */
import { describe } from '../../command-descriptor';
import { waitFlagTable } from '../state-verb-flag-tables';

export const waitCommand = describe({
  id: 'wait',
  summary: 'Block until containers of all (or specified) services stop.',
  description:
    'Waits for every running container of the services (one-off ones too) to exit and prints ' +
    '"container <id> exited with status code N" for each; the exit code is that of the last to ' +
    "exit, as docker compose's. --down-project then takes the project down, orphans too.",
  usage: 'wait SERVICE [SERVICE...] [OPTIONS]',
  examples: ['<%= config.bin %> wait tests', '<%= config.bin %> wait --down-project tests'],
  flags: waitFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to wait for (at least one)' },
  async run(flags, operands) {
    const { runWait } = require('../wait') as typeof import('../wait');
    return runWait(flags, operands);
  },
});
