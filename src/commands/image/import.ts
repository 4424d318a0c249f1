import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { importImage } from '../../cli/image/import';

export default class ImageImport extends Command {
  static override summary = 'Import the contents from a tarball to create a filesystem image';
  static override description = "Prints the new image's id (sha256:…).";
  static override examples = [
    '<%= config.bin %> image import rootfs.tar busybox:local',
    'cat rootfs.tar | <%= config.bin %> image import -c \'CMD ["sh"]\' - box',
  ];

  static override args = {
    file: Args.string({ required: true, description: 'A tar file, or - to read it from stdin' }),
    reference: Args.string({ description: 'REPOSITORY[:TAG] to tag the image with' }),
  };

  static override baseFlags = engineFlags;
  static override flags = {
    change: Flags.string({
      char: 'c',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, WORKDIR, …)',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageImport);
    this.log(await importImage(args.file, args.reference, flags));
  }
}
