import { Args, Command } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { parseReference } from '../../common/image-reference';
import { TscomposeError } from '../../common/errors';

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
    const target = parseReference(args.target);
    if (target.digest !== undefined)
      throw new TscomposeError('refusing to create a tag with a digest reference', { code: 'USAGE' });
    // The API takes the repository and the tag apart, as docker's CLI sends them.
    const slash = args.target.lastIndexOf('/');
    const colon = args.target.lastIndexOf(':');
    const repo = colon > slash ? args.target.slice(0, colon) : args.target;
    const engine = await openEngine(flags);
    await engine.tagImage(args.source, repo, target.tag);
  }
}
