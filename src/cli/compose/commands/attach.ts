/** `attach`: our terminal joined to a service's container (not `container attach`, one container's). */
import { describe } from '../../command-descriptor';
import { composeAttachFlagTable } from '../oneoff-verb-flag-tables';

export const composeAttachCommand = describe({
  id: 'attach',
  summary: "Attach local standard input, output, and error streams to a service's running container",
  description:
    "The service's first running container, or the one --index names. Exits with the container's " +
    'exit code once it ends; the detach keys (ctrl-p ctrl-q unless --detach-keys) leave it running.',
  usage: 'attach [OPTIONS] SERVICE',
  examples: ['<%= config.bin %> attach web', '<%= config.bin %> attach --index 2 --no-stdin worker'],
  flags: composeAttachFlagTable,
  operands: { count: 'any', name: 'service', description: 'The service to attach to' },
  async run(flags, operands) {
    const { runComposeAttach } = require('../attach') as typeof import('../attach');
    return runComposeAttach(flags, operands);
  },
});
