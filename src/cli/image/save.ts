/** `image save` once its flags are read: the archive to a file (whole or not at all) or to stdout. */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TscomposeError } from '../../common/errors';
import { openEngine } from '../engine-client';

export async function saveImages(images: string[], flags: { host?: string; output?: string }): Promise<void> {
  const out = flags.output;
  if (out === undefined && process.stdout.isTTY) {
    throw new TscomposeError('cowardly refusing to save to a terminal. Use the -o flag or redirect', {
      code: 'USAGE',
    });
  }
  const dir = path.dirname(path.resolve(out ?? '.'));
  if (out !== undefined && !fs.existsSync(dir)) {
    throw new TscomposeError(`failed to save image: invalid output path: directory "${dir}" does not exist`, {
      code: 'USAGE',
    });
  }
  const engine = await openEngine(flags);
  const tar = engine.saveImages(images);
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
