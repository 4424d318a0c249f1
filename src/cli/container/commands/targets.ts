/**
 * The commands of one or more containers: `start`, `stop`, `restart`, `kill`, `rm`, `wait`,
 * `inspect` (hot: the fast path serves them), `pause` and `unpause`.
 */
import { inspectCommand as inspectOf, targetsCommand } from '../../targets/target-commands';
import { killFlagTable, rmFlagTable, stopFlagTable } from '../flag-tables';

const acts = () => require('../target-acts') as typeof import('../target-acts');
const noun = 'container';

export const startCommand = targetsCommand(
  {
    id: 'container start',
    noun,
    summary: 'Start one or more stopped containers',
    examples: ['<%= config.bin %> container start web db'],
  },
  {},
  () => acts().startOne,
);

export const stopCommand = targetsCommand(
  {
    id: 'container stop',
    noun,
    summary: 'Stop one or more running containers',
    examples: ['<%= config.bin %> container stop -t 2 web'],
  },
  stopFlagTable,
  () => acts().stopOne,
);

export const restartCommand = targetsCommand(
  {
    id: 'container restart',
    noun,
    summary: 'Restart one or more containers',
    examples: ['<%= config.bin %> container restart -t 2 web'],
  },
  stopFlagTable,
  () => acts().restartOne,
);

export const killCommand = targetsCommand(
  {
    id: 'container kill',
    noun,
    summary: 'Kill one or more running containers',
    examples: ['<%= config.bin %> container kill -s HUP web'],
  },
  killFlagTable,
  () => acts().killOne,
);

export const rmCommand = targetsCommand(
  {
    id: 'container rm',
    noun,
    aliases: ['remove'],
    summary: 'Remove one or more containers',
    examples: ['<%= config.bin %> container rm -f web db'],
  },
  rmFlagTable,
  () => acts().removeOne,
);

export const waitCommand = targetsCommand(
  {
    id: 'container wait',
    noun,
    summary: 'Block until one or more containers stop, then print their exit codes',
    examples: ['<%= config.bin %> container wait web'],
  },
  {},
  () => acts().waitOne,
);

export const inspectCommand = inspectOf(
  {
    id: 'container inspect',
    noun,
    summary: 'Display detailed information on one or more containers',
    examples: [
      '<%= config.bin %> container inspect web',
      "<%= config.bin %> container inspect -f '{{.State.ExitCode}}' web",
    ],
  },
  () => acts().inspectOne,
);

export const pauseCommand = targetsCommand(
  {
    id: 'container pause',
    noun,
    summary: 'Pause all processes within one or more containers',
    description:
      'The processes are frozen (the cgroup freezer): they stay in memory, get no CPU time, and resume at unpause.',
    examples: ['<%= config.bin %> container pause web'],
  },
  {},
  () => acts().pauseOne,
);

export const unpauseCommand = targetsCommand(
  {
    id: 'container unpause',
    noun,
    summary: 'Unpause all processes within one or more containers',
    description: 'Frozen processes resume where they stopped.',
    examples: ['<%= config.bin %> container unpause web'],
  },
  {},
  () => acts().unpauseOne,
);
