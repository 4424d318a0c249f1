/**
 * The hot commands of one or more containers: `start`, `stop`, `restart`, `kill`, `rm`, `wait`
 * and `inspect`. Each container is tried in turn, docker's way (forEachTarget).
 */
import { describe, type RunFlags } from '../../command-descriptor';
import type { FlagTable } from '../../flags/flag-spec';
import type { TargetAct } from '../target-acts';
import { inspectFlagTable, killFlagTable, rmFlagTable, stopFlagTable } from '../flag-tables';

const client = () => require('../../engine-client') as typeof import('../../engine-client');
const acts = () => require('../target-acts') as typeof import('../target-acts');

const containers = {
  count: 'any',
  name: 'container',
  description: 'Container name or id (one or more)',
} as const;

interface TargetsText {
  summary: string;
  aliases?: readonly string[];
  examples: readonly string[];
}

function targets<T extends FlagTable>(
  id: string,
  text: TargetsText,
  flags: T,
  act: () => TargetAct<RunFlags<T>>,
) {
  return describe({
    id,
    ...text,
    flags,
    operands: containers,
    async run(values, operands) {
      const { engineForTargets, forEachTarget } = client();
      const engine = await engineForTargets(id, operands, values);
      const one = act();
      await forEachTarget(operands, (target) => one(engine, target, values));
      return 0;
    },
  });
}

export const startCommand = targets(
  'container start',
  { summary: 'Start one or more stopped containers', examples: ['<%= config.bin %> container start web db'] },
  {},
  () => acts().startOne,
);

export const stopCommand = targets(
  'container stop',
  { summary: 'Stop one or more running containers', examples: ['<%= config.bin %> container stop -t 2 web'] },
  stopFlagTable,
  () => acts().stopOne,
);

export const restartCommand = targets(
  'container restart',
  { summary: 'Restart one or more containers', examples: ['<%= config.bin %> container restart -t 2 web'] },
  stopFlagTable,
  () => acts().restartOne,
);

export const killCommand = targets(
  'container kill',
  {
    summary: 'Kill one or more running containers',
    examples: ['<%= config.bin %> container kill -s HUP web'],
  },
  killFlagTable,
  () => acts().killOne,
);

export const rmCommand = targets(
  'container rm',
  {
    summary: 'Remove one or more containers',
    aliases: ['remove'],
    examples: ['<%= config.bin %> container rm -f web db'],
  },
  rmFlagTable,
  () => acts().removeOne,
);

export const waitCommand = targets(
  'container wait',
  {
    summary: 'Block until one or more containers stop, then print their exit codes',
    examples: ['<%= config.bin %> container wait web'],
  },
  {},
  () => acts().waitOne,
);

export const inspectCommand = describe({
  id: 'container inspect',
  summary: 'Display detailed information on one or more containers',
  examples: [
    '<%= config.bin %> container inspect web',
    "<%= config.bin %> container inspect -f '{{.State.ExitCode}}' web",
  ],
  flags: inspectFlagTable,
  operands: containers,
  async run(flags, operands) {
    const { inspectEach } =
      require('../../targets/inspect-each') as typeof import('../../targets/inspect-each');
    const engine = await client().engineForTargets('container inspect', operands, flags);
    await inspectEach(operands, (ref) => acts().inspectOne(engine, ref), flags.format);
    return 0;
  },
});
