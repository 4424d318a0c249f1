import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { TscomposeError } from '../../common/errors';

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
    const out = flags.output;
    if (out === undefined && process.stdout.isTTY) {
      throw new TscomposeError('cowardly refusing to save to a terminal. Use the -o flag or redirect', {
        code: 'USAGE',
      });
    }
    const dir = path.dirname(path.resolve(out ?? '.'));
    if (out !== undefined && !fs.existsSync(dir)) {
      throw new TscomposeError(
        `failed to save image: invalid output path: directory "${dir}" does not exist`,
        {
          code: 'USAGE',
        },
      );
    }
    const engine = await openEngine(flags);
    const tar = engine.saveImages(argv as string[]);
    if (out === undefined) return pipeline(tar, process.stdout);
    // A temp file renamed into place: an interrupted save never leaves a short tar under the name.
    const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.tmp`);
    try {
      await pipeline(tar, fs.createWriteStream(tmp, { mode: 0o600 }));
      fs.renameSync(tmp, out);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
}
