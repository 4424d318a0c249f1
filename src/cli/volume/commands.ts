/** The commands of one or more volumes: `volume rm` and `volume inspect`. */
import { bool } from '../flags/flag-spec';
import { inspectCommand, targetsCommand } from '../targets/target-commands';

const noun = 'volume';

export const volumeRmCommand = targetsCommand(
  {
    id: 'volume rm',
    noun,
    aliases: ['remove'],
    summary: 'Remove one or more volumes',
    examples: ['<%= config.bin %> volume rm data'],
  },
  { force: bool('Force the removal of one or more volumes', { char: 'f' }) },
  // docker prints each name it removed
  () => async (engine, name, flags) => {
    await engine.removeVolume(name, { force: flags.force });
    return name;
  },
);

export const volumeInspectCommand = inspectCommand(
  {
    id: 'volume inspect',
    noun,
    summary: 'Display detailed information on one or more volumes',
    examples: ["<%= config.bin %> volume inspect -f '{{.Mountpoint}}' data"],
  },
  () => (engine, name) => engine.inspectVolume(name),
);
