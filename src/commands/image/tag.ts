import { Args, Command } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { tagImage } from '../../cli/image/tag';

export default class ImageTag extends Command {
  static override summary = 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE';
  static override examples = ['<%= config.bin %> image tag busybox localhost:5000/tools/busybox:1.36'];
  static override args = {
    source: Args.string({ required: true, description: 'SOURCE_IMAGE[:TAG] or an image id' }),
    target: Args.string({ required: true, description: 'TARGET_IMAGE[:TAG]' }),
  };
  static override baseFlags = engineFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageTag);
    await tagImage(args.source, args.target, flags);
  }
}
