/**
 * Decompression with a bound (SECURITY.md rule 7): a gzip or zstd stream may expand only so far
 * per compressed byte, so a bomb (a few KiB that inflate to terabytes of zeros) fails early with
 * one clear line instead of filling the disk. Decompressor failures (a stream cut short, bytes
 * that are no gzip or zstd) become one line naming what was being read.
 */
import { Transform, type Readable } from 'node:stream';
import { TscomposeError } from '../../common/errors';
import { decompressor, type Compression } from './media';

/** Below this many compressed bytes the ratio is taken of the floor: small layers never trip it. */
export const EXPANSION_FLOOR = 1024 * 1024;

export class ExpansionLimitError extends TscomposeError {
  constructor(what: string, out: number, ratio: number, inBytes: number) {
    super(
      `${what} expands beyond the limit of ${ratio}:1 (more than ${out} bytes from ${inBytes} compressed bytes): refusing a compression bomb (max-expansion-ratio in engine.json)`,
      { code: 'EXPANSION_LIMIT', kind: 'invalid-argument' },
    );
  }
}

export interface InflateOptions {
  /** `max-expansion-ratio`: decompressed bytes allowed per compressed byte. */
  ratio: number;
  /** What is being read, for the error (`layer sha256:…`, `the archive`). */
  what: string;
  /** The whole compressed size when known (a stored blob); otherwise the bytes read so far count. */
  compressedSize?: number;
}

/**
 * The decompressed bytes of `input` (the input itself when `c` is 'none'); every failure on the
 * way, the limit's included, ends the returned stream with one error.
 */
export function inflateBounded(input: Readable, c: Compression, opts: InflateOptions): Readable {
  const inflate = decompressor(c);
  if (!inflate) return input;
  let inBytes = 0;
  let outBytes = 0;
  const countIn = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inBytes += chunk.length;
      cb(null, chunk);
    },
  });
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      outBytes += chunk.length;
      const base = Math.max(opts.compressedSize ?? inBytes, EXPANSION_FLOOR);
      if (outBytes > opts.ratio * base)
        return cb(
          new ExpansionLimitError(opts.what, opts.ratio * base, opts.ratio, opts.compressedSize ?? inBytes),
        );
      cb(null, chunk);
    },
  });
  const fail = (err: unknown) => {
    if (!guard.destroyed) guard.destroy(describe(err, c, opts.what) as Error);
  };
  input.on('error', fail);
  countIn.on('error', fail);
  inflate.on('error', fail);
  // Stop decompressing at once; the input is the caller's (an HTTP request must live on to be answered).
  guard.on('close', () => {
    input.unpipe(countIn);
    countIn.destroy();
    inflate.destroy();
  });
  return input.pipe(countIn).pipe(inflate).pipe(guard);
}

function describe(err: unknown, c: Compression, what: string): unknown {
  if (err instanceof TscomposeError) {
    return c === 'zstd' && err.code === 'ZSTD'
      ? new TscomposeError(`${what}: ${truncatedOr(err.message)}`, {
          code: 'BAD_COMPRESSION',
          cause: err,
          kind: 'invalid-argument',
        })
      : err;
  }
  const e = err as NodeJS.ErrnoException;
  if (c === 'gzip' && typeof e?.code === 'string' && e.code.startsWith('Z_'))
    return new TscomposeError(`${what}: ${truncatedOr(`gzip: ${e.message}`)}`, {
      code: 'BAD_COMPRESSION',
      cause: err,
      kind: 'invalid-argument',
    });
  return err;
}

function truncatedOr(message: string): string {
  const line = message.split('\n')[0];
  return /unexpected end|unexpected EOF/i.test(line) ? `${line} (the stream is truncated)` : line;
}
