/**
 * zstd decompression as a stream. Node 20's zlib has no zstd, so this wraps fzstd: pure
 * JavaScript (no native build to break on a Node upgrade), streaming, and small.
 */
import { Transform } from 'node:stream';
import { Decompress } from 'fzstd';
import { TscomposeError } from '../../../common/errors';

export function zstdDecompressStream(): Transform {
  const decoder = new Decompress();
  const fail = (err: unknown): TscomposeError =>
    new TscomposeError(`zstd: ${(err as Error).message ?? String(err)}`, { code: 'ZSTD', cause: err });
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        decoder.push(chunk);
        cb();
      } catch (err) {
        cb(fail(err));
      }
    },
    flush(cb) {
      try {
        decoder.push(new Uint8Array(0), true);
        cb();
      } catch (err) {
        cb(fail(err));
      }
    },
  });
  // fzstd may hand out views of its own window: copy before it is overwritten.
  decoder.ondata = (data) => {
    if (data.length) out.push(Buffer.from(data));
  };
  return out;
}
