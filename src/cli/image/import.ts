/** `image import` once its flags are read: a root file-system tar (a file or stdin) made an image. */
import fs from 'node:fs';
import { TscomposeError } from '../../common/errors';
import { parseReference } from '../../common/image-reference';
import { openEngine } from '../engine-client';
import { goOpenError } from '../format/go-format';

/** The new image's id. */
export async function importImage(
  file: string,
  reference: string | undefined,
  flags: { host?: string; change?: string[] },
): Promise<string> {
  if (reference !== undefined) parseReference(reference);
  if (/^[a-z]+:\/\//i.test(file))
    throw new TscomposeError('importing from a URL is not supported yet', { code: 'IMPORT_URL' });
  let tar: NodeJS.ReadableStream = process.stdin;
  if (file !== '-') {
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      throw new TscomposeError(goOpenError(file, err), { code: 'IMPORT_OPEN' });
    }
    tar = fs.createReadStream(file);
  }
  const engine = await openEngine(flags);
  const { Id } = await engine.importImage(tar as fs.ReadStream, { repo: reference, changes: flags.change });
  return Id;
}
