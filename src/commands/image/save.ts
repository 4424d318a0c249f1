import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { saveImages } from '../../cli/image/save';

export default class ImageSave extends Command {
  static override summary = 'Save one or more images to a tar archive (streamed to STDOUT by default)';
  static override description =
    'The tar holds a docker archive (manifest.json) inside an OCI image layout (index.json), with every blob as stored, so every digest survives; `docker load`, `podman load` and `image load` read it.';
  static override examples = [
    '<%= config.bin %> image save -o busybox.tar busybox',
    '<%= config.bin %> image save app:1 app:2 | gzip > app.tar.gz',
  ];
  static override args = { image: Args.string({ required: true, description: 'Image reference or id' }) };
  // Any number of images.
  static override strict = false;
  static override baseFlags = engineFlags;
  static override flags = {
    output: Flags.string({ char: 'o', description: 'Write to a file, instead of STDOUT' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ImageSave);
    await saveImages(argv as string[], flags);
  }
}
