import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { authHeaderFor } from '../../cli/registry/registry-auth';
import { progressRenderer } from '../../cli/format/render-progress';
import { parseReference } from '../../common/image-reference';
import { TscomposeError } from '../../common/errors';

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
    if (parseReference(args.image).digest)
      throw new TscomposeError(`cannot push a digest reference: ${args.image}`, { code: 'USAGE' });
    const engine = await openEngine(flags);
    const render = flags.quiet ? undefined : progressRenderer();
    await engine.pushImage(args.image, { auth: authHeaderFor(args.image) }, render);
    if (flags.quiet) this.log(args.image);
  }
}
