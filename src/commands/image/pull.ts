import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { pullImage } from '../../cli/image/pull-push';

export default class ImagePull extends Command {
  static override summary = 'Download an image from a registry';
  static override description =
    'Credentials come from ~/.docker/config.json (see login). Plain HTTP is used only for localhost and the insecure-registries of /etc/tscompose/engine.json.';
  static override examples = [
    '<%= config.bin %> image pull busybox',
    '<%= config.bin %> image pull --platform linux/arm64 localhost:5000/team/app:1.2',
  ];
  static override args = { image: Args.string({ required: true, description: 'NAME[:TAG|@DIGEST]' }) };
  static override baseFlags = engineFlags;
  static override flags = {
    platform: Flags.string({
      description: 'Set platform if server is multi-platform capable (os/arch[/variant])',
    }),
    quiet: Flags.boolean({ char: 'q', description: 'Suppress verbose output' }),
    'all-tags': Flags.boolean({
      char: 'a',
      description: 'Download all tagged images in the repository (not supported)',
      hidden: true,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImagePull);
    await pullImage(args.image, flags);
  }
}
