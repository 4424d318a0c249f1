/** `top`: the processes of the project's containers (not `container top`, one container's). */
import { describe } from '../../command-descriptor';
import { composeTopFlagTable } from '../oneoff-verb-flag-tables';

export const composeTopCommand = describe({
  id: 'top',
  summary: 'Display the running processes',
  description:
    'One table for all running containers of the project (of the SERVICEs named): the service and ' +
    'replica number of each process, then ps columns.',
  usage: 'top [SERVICES...]',
  examples: ['<%= config.bin %> top', '<%= config.bin %> -p demo top web'],
  flags: composeTopFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services whose processes to show' },
  async run(flags, operands) {
    const { showComposeTop } = require('../top') as typeof import('../top');
    return showComposeTop(flags, operands);
  },
});
