import fs from 'node:fs';
import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { goOpenError } from '../../cli/format/go-format';
import { parseReference } from '../../common/image-reference';
import { TscomposeError } from '../../common/errors';

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
    if (args.reference !== undefined) parseReference(args.reference);
    if (/^[a-z]+:\/\//i.test(args.file))
      throw new TscomposeError('importing from a URL is not supported yet', { code: 'IMPORT_URL' });
    let tar: NodeJS.ReadableStream = process.stdin;
    if (args.file !== '-') {
      try {
        fs.accessSync(args.file, fs.constants.R_OK);
      } catch (err) {
        throw new TscomposeError(goOpenError(args.file, err), { code: 'IMPORT_OPEN' });
      }
      tar = fs.createReadStream(args.file);
    }
    const engine = await openEngine(flags);
    const { Id } = await engine.importImage(tar as fs.ReadStream, {
      repo: args.reference,
      changes: flags.change,
    });
    this.log(Id);
  }
}
