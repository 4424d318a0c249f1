/**
 * Progress of one blob transfer as Docker's JSON messages: a byte meter that reports
 * `Downloading`/`Pushing` with progressDetail at most every 100 ms (a fast local registry would
 * otherwise flood the client with a message per chunk), and the short ids docker prints.
 */
import { Transform } from 'node:stream';
import type { ProgressHandler } from '../../../engine-api/registry/api';

const EVERY_MS = 100;

export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** Bytes of one blob moved so far, counted by as many pass-through streams as it takes requests. */
export class ByteProgress {
  private current = 0;
  private last = 0;

  constructor(
    private readonly status: string,
    private readonly id: string,
    private readonly total: number,
    private readonly emit: ProgressHandler,
  ) {}

  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.current += chunk.length;
        const now = Date.now();
        if (now - this.last >= EVERY_MS) {
          this.last = now;
          this.report();
        }
        cb(null, chunk);
      },
    });
  }

  finish(): void {
    this.report();
  }

  private report(): void {
    this.emit({
      status: this.status,
      id: this.id,
      progressDetail: { current: this.current, total: this.total },
    });
  }
}

/** Runs `fn` over `items`, `limit` at a time; the first failure stops new starts and is thrown once all running ones settle. */
export async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.err;
}
