import { Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { loadImages } from '../../cli/image/load';

export default class ImageLoad extends Command {
  static override summary = 'Load an image from a tar archive or STDIN';
  static override description =
    'Reads what `docker save` (any version), `podman save` (docker-archive or oci-archive) and `image save` write, also gzip- or zstd-compressed.';
  static override examples = [
    '<%= config.bin %> image load -i busybox.tar',
    'gunzip -c app.tar.gz | <%= config.bin %> image load',
  ];
  static override baseFlags = engineFlags;
  static override flags = {
    input: Flags.string({ char: 'i', description: 'Read from tar archive file, instead of STDIN' }),
    quiet: Flags.boolean({ char: 'q', description: 'Suppress the load output' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageLoad);
    const lines = await loadImages(flags);
    if (!flags.quiet) for (const line of lines) this.log(line);
  }
}
