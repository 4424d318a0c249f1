import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { pushImage } from '../../cli/image/pull-push';

export default class ImagePush extends Command {
  static override summary = 'Upload an image to a registry';
  static override description =
    'Pushes one tag (latest when none is given); digests stay what they are locally.';
  static override examples = ['<%= config.bin %> image push localhost:5000/team/app:1.2'];
  static override args = { image: Args.string({ required: true, description: 'NAME[:TAG]' }) };
  static override baseFlags = engineFlags;
  static override flags = {
    quiet: Flags.boolean({ char: 'q', description: 'Suppress verbose output' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImagePush);
    await pushImage(args.image, flags);
  }
}
