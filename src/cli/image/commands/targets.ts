/** The commands of one or more images: `image rm` and `image inspect`. */
import { bool } from '../../flags/flag-spec';
import { inspectCommand, targetsCommand } from '../../targets/target-commands';

const noun = 'image';

export const imageRmCommand = targetsCommand(
  {
    id: 'image rm',
    noun,
    aliases: ['remove'],
    summary: 'Remove one or more images',
    examples: ['<%= config.bin %> image rm busybox:local'],
  },
  { force: bool('Force removal of the image', { char: 'f' }) },
  // docker's lines: `Untagged: busybox:latest`, then `Deleted: sha256:…`.
  () => async (engine, ref, flags) =>
    (await engine.removeImage(ref, { force: flags.force })).map((r) =>
      r.Untagged !== undefined ? `Untagged: ${r.Untagged}` : `Deleted: ${r.Deleted}`,
    ),
);

export const imageInspectCommand = inspectCommand(
  {
    id: 'image inspect',
    noun,
    summary: 'Display detailed information on one or more images',
    examples: ["<%= config.bin %> image inspect -f '{{json .Config.Cmd}}' busybox"],
  },
  () => (engine, ref) => engine.inspectImage(ref),
);
