/** `exec`: a command in a service's running container (not `container exec`, one container's). */
import { describe } from '../../command-descriptor';
import { composeExecFlagTable } from '../oneoff-verb-flag-tables';

export const composeExecCommand = describe({
  id: 'exec',
  summary: 'Execute a command in a running container',
  description:
    "In the service's first container, or the one --index names. A terminal by default when stdin " +
    "and stdout are terminals (-T: none). Exits with the command's exit code; 1 when the service " +
    'has no running container.',
  usage: 'exec [OPTIONS] SERVICE COMMAND [ARGS...]',
  examples: [
    '<%= config.bin %> exec web sh',
    '<%= config.bin %> exec -T -e A=1 -w /tmp web env',
    '<%= config.bin %> exec --index 2 -u nobody worker id',
  ],
  flags: composeExecFlagTable,
  operands: { count: 'any', name: 'service', description: 'The service, then the command and its arguments' },
  // Flags end at SERVICE: what follows is the command, even what looks like a flag.
  untilOperand: true,
  async run(flags, operands) {
    const { runComposeExec } = require('../exec') as typeof import('../exec');
    return runComposeExec(flags, operands);
  },
});
