/** `logs --tail N` across a log's files: where to start reading each, counting from the newest. */
import type { FileHandle } from 'node:fs/promises';

const BLOCK = 64 * 1024;

/** undefined = every record. Docker reads a negative or unparsable tail as all. */
export function parseTail(tail: string | undefined): number | undefined {
  if (tail === undefined || !/^\d+$/.test(tail.trim())) return undefined;
  return Number(tail.trim());
}

/**
 * Where reading starts in the current file (counted back from `size`, its end when the request
 * came) and in each rotated one, counting the tail from the newest.
 */
export async function tailStarts(
  fh: FileHandle | undefined,
  size: number,
  older: Buffer[],
  n: number | undefined,
): Promise<{ current: number; older: number[] }> {
  const starts = { current: 0, older: older.map(() => 0) };
  if (n === undefined) return starts;
  let left = n;
  if (fh) {
    const t = await tailOffset(size, (b, len, pos) => fh.read(b, 0, len, pos), left);
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
