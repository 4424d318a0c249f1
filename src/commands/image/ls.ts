import { Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { listingFlags, listOptions } from '../../cli/flags/listing-flags';
import { renderImageList } from '../../cli/image/render-images';

export default class ImageLs extends Command {
  static override summary = 'List images';
  static override aliases = ['image:list'];
  static override examples = ['<%= config.bin %> image ls', '<%= config.bin %> image ls --format json'];
  static override baseFlags = engineFlags;
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Show all images (there are no intermediate ones)' }),
    ...listingFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImageLs);
    const engine = await openEngine(flags);
    process.stdout.write(renderImageList(await engine.listImages(), listOptions(flags)));
  }
}
