/** `image load` once its flags are read: a tar (a file or stdin) loaded, docker's lines about it. */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { TscomposeError } from '../../common/errors';
import { openEngine } from '../engine-client';
import { goOpenError } from '../format/go-format';

export async function loadImages(flags: { host?: string; input?: string }): Promise<string[]> {
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
  return engine.loadImages(tar);
}
