/** `container exec`. */
import { describe } from '../../command-descriptor';
import { execFlagTable } from '../flag-tables';

export const execCommand = describe({
  id: 'container exec',
  summary: 'Execute a command in a running container',
  description: "Exits with the command's exit code: 126 when it cannot be run, 127 when it is not found.",
  usage: 'container exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  examples: [
    '<%= config.bin %> container exec web ls -l /',
    '<%= config.bin %> container exec -e A=1 -w /tmp web env',
  ],
  flags: execFlagTable,
  operands: { count: 'any', name: 'container', description: 'Container name or id, then the command' },
  // Flags end at CONTAINER: what follows is the command, even what looks like a flag.
  untilOperand: true,
  run(flags, operands) {
    const { execInContainer } = require('../exec') as typeof import('../exec');
    return execInContainer(flags, operands);
  },
});
