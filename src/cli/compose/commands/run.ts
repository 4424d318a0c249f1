/** `run`: a one-off container of a service (not `container run`, an image's). */
import { describe } from '../../command-descriptor';
import { composeRunFlagTable } from '../oneoff-verb-flag-tables';

export const composeRunCommand = describe({
  id: 'run',
  summary: 'Run a one-off command on a service',
  description:
    "The service's dependencies are started first (not with --no-deps). The one-off container is " +
    'named <project>-<service>-run-<id> and labelled com.docker.compose.oneoff=True; it publishes ' +
    "no port unless -p or --service-ports, and has no restart policy. Exits with the command's exit " +
    'code; with -d, prints the container id once it runs.',
  usage: 'run [OPTIONS] SERVICE [COMMAND] [ARGS...]',
  examples: [
    '<%= config.bin %> run --rm web sh',
    '<%= config.bin %> run --rm -T -e MODE=test worker sh -c "echo $MODE"',
    '<%= config.bin %> run -d --service-ports --name web-debug web',
  ],
  flags: composeRunFlagTable,
  operands: { count: 'any', name: 'service', description: 'The service, then the command and its arguments' },
  // Flags end at SERVICE: what follows is the command, even what looks like a flag.
  untilOperand: true,
  async run(flags, operands) {
    const { runComposeRun } = require('../run') as typeof import('../run');
    return runComposeRun(flags, operands);
  },
});
