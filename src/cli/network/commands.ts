/** The commands of one or more networks: `network rm` and `network inspect`. */
import { NotFoundError } from '../../common/errors';
import { bool } from '../flags/flag-spec';
import { inspectCommand, targetsCommand } from '../targets/target-commands';

const noun = 'network';

export const networkRmCommand = targetsCommand(
  {
    id: 'network rm',
    noun,
    aliases: ['remove'],
    summary: 'Remove one or more networks',
    examples: ['<%= config.bin %> network rm backend'],
  },
  { force: bool('Do not error if the network does not exist', { char: 'f' }) },
  // docker prints each network as it was named
  () => async (engine, ref, flags) => {
    try {
      await engine.removeNetwork(ref);
    } catch (err) {
      if (flags.force && err instanceof NotFoundError) return undefined;
      throw err;
    }
    return ref;
  },
);

export const networkInspectCommand = inspectCommand(
  {
    id: 'network inspect',
    noun,
    summary: 'Display detailed information on one or more networks',
    examples: ["<%= config.bin %> network inspect -f '{{json .IPAM.Config}}' backend"],
  },
  () => (engine, ref) => engine.inspectNetwork(ref),
);
