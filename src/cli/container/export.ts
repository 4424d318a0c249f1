/** `container export` once its flags are read: the root file system tar to a file (whole or not at all) or to stdout. */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TscomposeError } from '../../common/errors';
import { openEngine } from '../engine-client';

export async function exportContainer(
  container: string,
  flags: { host?: string; output?: string },
): Promise<void> {
  const out = flags.output;
  if (out === undefined && process.stdout.isTTY) {
    throw new TscomposeError('cowardly refusing to save to a terminal. Use the -o flag or redirect', {
      code: 'USAGE',
    });
  }
  const engine = await openEngine(flags);
  const tar = await engine.exportContainer(container);
  if (out === undefined) return pipeline(tar, process.stdout);
  const dir = path.dirname(path.resolve(out));
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.tmp`);
  try {
    await pipeline(tar, fs.createWriteStream(tmp, { mode: 0o600 }));
    fs.renameSync(tmp, out);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
