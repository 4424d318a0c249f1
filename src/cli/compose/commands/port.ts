/** `port`: where a service's private port is published (not `container port`, one container's). */
import { describe } from '../../command-descriptor';
import { composePortFlagTable } from '../oneoff-verb-flag-tables';

export const composePortCommand = describe({
  id: 'port',
  summary: 'Print the public port for a port binding',
  description: "Of the service's first running container, or the one --index names.",
  usage: 'port [OPTIONS] SERVICE PRIVATE_PORT',
  examples: ['<%= config.bin %> port web 80', '<%= config.bin %> port --protocol udp --index 2 dns 53'],
  flags: composePortFlagTable,
  operands: { count: 'any', name: 'service', description: 'The service, then the private port' },
  async run(flags, operands) {
    const { showComposePort } = require('../port') as typeof import('../port');
    return showComposePort(flags, operands);
  },
});
