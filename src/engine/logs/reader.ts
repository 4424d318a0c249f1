/**
 * Reads a json-file log as `docker logs` does: the last N records (tail counts records in the
 * file, before the stream and time filters, as docker's), then since/until and stream selection,
 * then, when following, what the container writes next until it is done.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { OutputChunk } from '../api/engine-api';
import type { LogsOptions } from '../api/types';
import { fixedTime, timeSeconds, type JsonLogRecord } from './json-file';

const BLOCK = 64 * 1024;
/** fs.watch misses changes on some file systems, and isDone() can turn true without any write. */
const POLL_MS = 200;

export async function* readLogs(
  file: string,
  opts: LogsOptions,
  signal?: AbortSignal,
  isDone?: () => boolean,
): AsyncGenerator<OutputChunk> {
  const show = { stdout: opts.stdout !== false, stderr: opts.stderr !== false };
  const since = opts.since || 0;
  const until = opts.until || 0;
  const wake = new Waker(signal);
  let fh = await openIfExists(file);
  let offset = fh ? await tailOffset(fh, parseTail(opts.tail)) : 0;
  const lines = new LineSplitter();
  const block = Buffer.allocUnsafe(BLOCK);
  try {
    for (;;) {
      // Read after asking, so that output written just before the container ended is not lost.
      const done = !opts.follow || (isDone?.() ?? false);
      if (!fh) fh = await openIfExists(file);
      if (fh) {
        wake.watch(file);
        const { size } = await fh.stat();
        if (size < offset) {
          offset = 0;
          lines.reset();
        }
        for (;;) {
          const { bytesRead } = await fh.read(block, 0, BLOCK, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          for (const line of lines.push(block.subarray(0, bytesRead))) {
            if (signal?.aborted) return;
            const rec = parseRecord(line);
            if (!rec) continue;
            const t = timeSeconds(rec.time);
            if (until && t > until) return;
            if ((since && t < since) || !show[rec.stream]) continue;
            yield {
              stream: rec.stream,
              data: Buffer.from(opts.timestamps ? `${fixedTime(rec.time)} ${rec.log}` : rec.log),
            };
          }
        }
      }
      if (done || signal?.aborted || (until && Date.now() / 1000 > until)) return;
      await wake.wait(POLL_MS);
    }
  } finally {
    wake.close();
    await fh?.close();
  }
}

/** undefined = every record. Docker reads a negative or unparsable tail as all. */
function parseTail(tail: string | undefined): number | undefined {
  if (tail === undefined || !/^\d+$/.test(tail.trim())) return undefined;
  return Number(tail.trim());
}

async function openIfExists(file: string): Promise<FileHandle | undefined> {
  try {
    return await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Where the n-th last complete line starts, found by reading backwards, so a long log is not read whole. */
async function tailOffset(fh: FileHandle, n: number | undefined): Promise<number> {
  if (n === undefined) return 0;
  const block = Buffer.allocUnsafe(BLOCK);
  let pos = (await fh.stat()).size;
  let lastLineEnd = -1;
  let seen = 0;
  while (pos > 0) {
    const len = Math.min(BLOCK, pos);
    pos -= len;
    await fh.read(block, 0, len, pos);
    for (let i = len - 1; i >= 0; i--) {
      if (block[i] !== 10) continue;
      if (lastLineEnd < 0) {
        // The newline ending the last complete line; anything after it is a record still being written.
        lastLineEnd = pos + i + 1;
        if (n === 0) return lastLineEnd;
      } else if (++seen === n) return pos + i + 1;
    }
  }
  return 0;
}

function parseRecord(line: Buffer): JsonLogRecord | undefined {
  try {
    const rec = JSON.parse(line.toString('utf8')) as Partial<JsonLogRecord>;
    if (typeof rec.log !== 'string' || typeof rec.time !== 'string') return undefined;
    if (rec.stream !== 'stdout' && rec.stream !== 'stderr') return undefined;
    return rec as JsonLogRecord;
  } catch {
    // A line cut short by a crash of the writer: skip it, as docker does.
    return undefined;
  }
}

/** Complete lines out of blocks; a reader may see a record half written, which waits for its end. */
class LineSplitter {
  private carry = Buffer.alloc(0);

  push(block: Buffer): Buffer[] {
    const buf = this.carry.length ? Buffer.concat([this.carry, block]) : block;
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
      out.push(buf.subarray(start, nl));
      start = nl + 1;
    }
    this.carry = Buffer.from(buf.subarray(start));
    return out;
  }

  reset(): void {
    this.carry = Buffer.alloc(0);
  }
}

/** Wakes a follower on a change of the file, after a poll interval, or on abort. */
class Waker {
  private watcher: fs.FSWatcher | undefined;
  private poked = false;
  private wakeUp: (() => void) | undefined;
  private readonly onAbort = (): void => this.poke();

  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  watch(file: string): void {
    if (this.watcher) return;
    try {
      this.watcher = fs.watch(file, { persistent: false }, () => this.poke());
      this.watcher.on('error', () => undefined);
    } catch {
      // Watching is an optimization; the poll still sees every change.
    }
  }

  async wait(ms: number): Promise<void> {
    if (this.poked || this.signal?.aborted) {
      this.poked = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    this.poked = false;
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.watcher?.close();
  }

  private poke(): void {
    this.poked = true;
    this.wakeUp?.();
  }
}
