/** `container update`: resources and restart policy of one or more containers, running or not. */
import { describe } from '../../command-descriptor';
import { updateFlagTable } from '../update';

export const updateCommand = describe({
  id: 'container update',
  summary: 'Update configuration of one or more containers',
  description:
    'A running container gets its new limits at once (its cgroup); the restart policy applies from its next exit.',
  examples: [
    '<%= config.bin %> container update --cpus 0.5 --memory 256m --memory-swap 512m web',
    '<%= config.bin %> container update --restart unless-stopped web db',
  ],
  flags: updateFlagTable,
  operands: { count: 'any', name: 'container', description: 'Container name or id (one or more)' },
  async run(flags, targets) {
    const { updateBody, updateOne } = require('../update') as typeof import('../update');
    const { engineForTargets, forEachTarget } =
      require('../../engine-client') as typeof import('../../engine-client');
    const body = updateBody(flags);
    const engine = await engineForTargets('container update', targets, flags);
    await forEachTarget(targets, (target) => updateOne(engine, target, body));
    return 0;
  },
});
