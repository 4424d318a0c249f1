import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { goOpenError } from '../../cli/format/go-format';
import { TscomposeError } from '../../common/errors';

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
    let tar: Readable = process.stdin;
    if (flags.input === undefined) {
      if (process.stdin.isTTY)
        throw new TscomposeError('requested load from stdin, but stdin is empty', { code: 'USAGE' });
    } else {
      try {
        fs.accessSync(flags.input, fs.constants.R_OK);
      } catch (err) {
        throw new TscomposeError(goOpenError(flags.input, err), { code: 'LOAD_OPEN' });
      }
      tar = fs.createReadStream(flags.input);
    }
    const engine = await openEngine(flags);
    const lines = await engine.loadImages(tar);
    if (!flags.quiet) for (const line of lines) this.log(line);
  }
}
