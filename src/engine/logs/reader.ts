/**
 * Reads a json-file log as `docker logs` does: the last N records (tail counts records in the
 * files, before the stream and time filters, as docker's), then since/until and stream selection,
 * then, when following, what the container writes next until it is done. Rotated files
 * (`<file>.N`, `<file>.N.gz`) come first, oldest first; a follower moves on to the new file
 * when the writer rotates.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { OutputChunk } from '../api/engine-api';
import type { LogsOptions } from '../api/types';
import { fixedTime, timeSeconds, type JsonLogRecord } from './json-file';
import { rotatedFiles } from './rotate';

const BLOCK = 64 * 1024;
/** fs.watch misses changes on some file systems, and isDone() can turn true without any write. */
const POLL_MS = 200;
const gunzip = promisify(zlib.gunzip);

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
  const starts = await tailStarts(fh, older, parseTail(opts.tail));
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
          const { bytesRead } = await fh.read(block, 0, BLOCK, offset);
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

/** The rotated files' contents, oldest first (they no longer change; max-size bounds each). */
async function loadRotated(file: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const r of rotatedFiles(file)) {
    try {
      const raw = await fs.promises.readFile(r.path);
      out.push(r.gzip ? await gunzip(raw) : raw);
    } catch (err) {
      // Rotated out of existence while we listed: its lines are gone, as with docker.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}

/** Where reading starts in the current file and in each rotated one, counting the tail from the newest. */
async function tailStarts(
  fh: FileHandle | undefined,
  older: Buffer[],
  n: number | undefined,
): Promise<{ current: number; older: number[] }> {
  const starts = { current: 0, older: older.map(() => 0) };
  if (n === undefined) return starts;
  let left = n;
  if (fh) {
    const t = await tailOffset((await fh.stat()).size, (b, len, pos) => fh.read(b, 0, len, pos), left);
    starts.current = t.offset;
    left -= t.seen;
  }
  for (let i = older.length - 1; i >= 0; i--) {
    const buf = older[i];
    const read = async (b: Buffer, len: number, pos: number) => buf.copy(b, 0, pos, pos + len);
    const t = left === 0 ? { offset: buf.length, seen: 0 } : await tailOffset(buf.length, read, left);
    starts.older[i] = t.offset;
    left -= t.seen;
  }
  return starts;
}

type ReadAt = (block: Buffer, len: number, pos: number) => Promise<unknown>;

/**
 * Where the n-th last complete line starts, and how many complete lines there are from there
 * (fewer than n when the file is short), found by reading backwards: a long log is not read whole.
 */
async function tailOffset(size: number, read: ReadAt, n: number): Promise<{ offset: number; seen: number }> {
  const block = Buffer.allocUnsafe(BLOCK);
  let pos = size;
  let lastLineEnd = -1;
  let seen = 0;
  while (pos > 0) {
    const len = Math.min(BLOCK, pos);
    pos -= len;
    await read(block, len, pos);
    for (let i = len - 1; i >= 0; i--) {
      if (block[i] !== 10) continue;
      if (lastLineEnd < 0) {
        // The newline ending the last complete line; anything after it is a record still being written.
        lastLineEnd = pos + i + 1;
        if (n === 0) return { offset: lastLineEnd, seen: 0 };
      } else if (++seen === n) return { offset: pos + i + 1, seen };
    }
  }
  return { offset: 0, seen: lastLineEnd < 0 ? 0 : seen + 1 };
}

async function isReplaced(fh: FileHandle, file: string): Promise<boolean> {
  const [own, now] = [await fh.stat(), await fs.promises.stat(file).catch(() => undefined)];
  return !now || now.ino !== own.ino || now.dev !== own.dev;
}

/**
 * Several rotations between two looks: the files rotated after the one just finished (found by
 * its inode among the uncompressed ones), oldest first. A compressed file has a new inode, so
 * after several rotations of a compressed log between two polls the ones in between are skipped.
 */
async function missedRotations(file: string, ino: number): Promise<Buffer[]> {
  const rotated = rotatedFiles(file);
  const own = rotated.findIndex(
    (r) => !r.gzip && fs.statSync(r.path, { throwIfNoEntry: false })?.ino === ino,
  );
  if (own < 0) return [];
  const out: Buffer[] = [];
  for (const r of rotated.slice(own + 1)) {
    const raw = await fs.promises.readFile(r.path).catch(() => undefined);
    if (raw) out.push(r.gzip ? await gunzip(raw) : raw);
  }
  return out;
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
