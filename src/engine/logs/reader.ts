/**
 * Reads a json-file log as `docker logs` does: the last N records (tail counts records in the
 * files, before the stream and time filters, as docker's), then since/until and stream selection,
 * then, when following, what the container writes next until it is done. Rotated files
 * (`<file>.N`, `<file>.N.gz`) come first, oldest first; a follower moves on to the new file
 * when the writer rotates.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { OutputChunk } from '../../engine-api/output';
import type { LogsOptions } from '../../engine-api/container/types';
import { fixedTime, timeSeconds, type JsonLogRecord } from './json-file';
import { isReplaced, loadRotated, missedRotations } from './rotated';
import { parseTail, tailStarts } from './tail';

const BLOCK = 64 * 1024;
/** fs.watch misses changes on some file systems, and isDone() can turn true without any write. */
const POLL_MS = 200;

/** What a record becomes: a chunk to send, nothing (filtered out), or the end (past `until`). */
type Verdict = OutputChunk | undefined | 'end';

export async function* readLogs(
  file: string,
  opts: LogsOptions,
  signal?: AbortSignal,
  isDone?: () => boolean,
): AsyncGenerator<OutputChunk> {
  const judge = recordFilter(opts);
  const wake = new Waker(signal);
  // Loaded before the current file is opened: a rotation meanwhile cannot hide lines between them.
  const older = await loadRotated(file);
  let fh = await openIfExists(file);
  // Without follow, the log is read up to its end as it is now: a container that keeps writing
  // would otherwise keep a reader that never catches up going for ever.
  const end = fh ? (await fh.stat()).size : 0;
  const starts = await tailStarts(fh, end, older, parseTail(opts.tail));
  let offset = starts.current;
  const lines = new LineSplitter();
  const block = Buffer.allocUnsafe(BLOCK);
  try {
    for (const [i, buf] of older.entries()) {
      const r = judgeAll(new LineSplitter().push(buf.subarray(starts.older[i])), judge);
      yield* r.chunks;
      if (r.end || signal?.aborted) return;
    }
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
        let replaced = false;
        for (;;) {
          const want = opts.follow ? BLOCK : Math.min(BLOCK, end - offset);
          const { bytesRead } = want > 0 ? await fh.read(block, 0, want, offset) : { bytesRead: 0 };
          if (bytesRead === 0) {
            if (replaced || !opts.follow) break;
            replaced = await isReplaced(fh, file);
            // Rotated away: read to its end once more (the writer's last lines went there), then move on.
            if (replaced) continue;
            break;
          }
          offset += bytesRead;
          const r = judgeAll(lines.push(block.subarray(0, bytesRead)), judge);
          yield* r.chunks;
          if (r.end || signal?.aborted) return;
        }
        if (replaced) {
          for (const buf of await missedRotations(file, (await fh.stat()).ino)) {
            const r = judgeAll(new LineSplitter().push(buf), judge);
            yield* r.chunks;
            if (r.end || signal?.aborted) return;
          }
          await fh.close();
          fh = await openIfExists(file);
          offset = 0;
          lines.reset();
          wake.rewatch(file);
          continue;
        }
      }
      if (done || signal?.aborted || (opts.until && Date.now() / 1000 > opts.until)) return;
      await wake.wait(POLL_MS);
    }
  } finally {
    wake.close();
    await fh?.close();
  }
}

/** The chunks of these lines, up to the first past `until` (then `end`). */
function judgeAll(
  lines: Buffer[],
  judge: (line: Buffer) => Verdict,
): { chunks: OutputChunk[]; end: boolean } {
  const chunks: OutputChunk[] = [];
  for (const line of lines) {
    const v = judge(line);
    if (v === 'end') return { chunks, end: true };
    if (v) chunks.push(v);
  }
  return { chunks, end: false };
}

function recordFilter(opts: LogsOptions): (line: Buffer) => Verdict {
  const show = { stdout: opts.stdout !== false, stderr: opts.stderr !== false };
  const since = opts.since || 0;
  const until = opts.until || 0;
  return (line) => {
    const rec = parseRecord(line);
    if (!rec) return undefined;
    const t = timeSeconds(rec.time);
    if (until && t > until) return 'end';
    if ((since && t < since) || !show[rec.stream]) return undefined;
    return {
      stream: rec.stream,
      data: Buffer.from(opts.timestamps ? `${fixedTime(rec.time)} ${rec.log}` : rec.log),
    };
  };
}

async function openIfExists(file: string): Promise<FileHandle | undefined> {
  try {
    return await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
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

  /** The file was replaced by a new one (rotation): watch that one. */
  rewatch(file: string): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.watch(file);
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
