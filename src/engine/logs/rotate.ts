/**
 * A log file that rotates as docker's json-file does: once it holds `maxSize` bytes, the next
 * record first moves `<file>` to `<file>.1` (`.1` to `.2`, …, the oldest dropped), so at most
 * `maxFiles` files exist; with one file it is truncated instead. Rotated files may be gzipped
 * (`<file>.1.gz`). Readers find the rotated files with rotatedFiles().
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface RotationOptions {
  /** Bytes; undefined = never rotate. */
  maxSize?: number;
  /** How many files at most, the current one included (≥ 1). */
  maxFiles: number;
  compress: boolean;
}

export const NO_ROTATION: RotationOptions = { maxFiles: 1, compress: false };

/** What an append could not store: the indices of the records dropped, and why. */
export interface AppendResult {
  dropped: number[];
  error?: Error;
}

export class RotatingFile {
  private fd: number | undefined;
  /** Bytes in the file as far as this writer knows: where a failed write is cut back to. */
  private size = 0;
  /** A failed write left part of a record that could not be cut off: the next write ends it first. */
  private torn = false;

  constructor(
    readonly file: string,
    private readonly opts: RotationOptions = NO_ROTATION,
  ) {}

  /**
   * Records, each whole in one file: a record never straddles a rotation. Never throws: what
   * cannot be written (a full disk, an I/O error) is dropped and reported, and the next append
   * tries again, so logging resumes once there is room.
   */
  append(records: string[]): AppendResult {
    const result: AppendResult = { dropped: [] };
    let group: number[] = [];
    let text = '';
    let pending = 0;
    const writeGroup = (): void => {
      if (!group.length) return;
      try {
        this.writeOut(text);
      } catch (err) {
        result.error = err as Error;
        result.dropped.push(...group);
      }
      group = [];
      text = '';
      pending = 0;
    };
    for (const [i, rec] of records.entries()) {
      if (this.opts.maxSize !== undefined && this.size + pending >= this.opts.maxSize) {
        writeGroup();
        try {
          this.rotate();
        } catch (err) {
          // The current file stays and keeps growing; the next record tries to rotate again.
          result.error ??= err as Error;
        }
      }
      group.push(i);
      text += rec;
      pending += Buffer.byteLength(rec);
    }
    writeGroup();
    return result;
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const fd = fs.openSync(this.file, 'a', 0o600);
    // A re-adopted container appends to the log of the daemon before: its size counts.
    this.size = fs.fstatSync(fd).size;
    this.fd = fd;
    return fd;
  }

  /** All of `text` or none of it: a record cut short would merge with the next one into garbage. */
  private writeOut(text: string): void {
    const fd = this.open();
    const buf = Buffer.from(this.torn ? `\n${text}` : text);
    let done = 0;
    try {
      while (done < buf.length) done += fs.writeSync(fd, buf, done);
    } catch (err) {
      if (done > 0) {
        try {
          fs.ftruncateSync(fd, this.size);
        } catch {
          this.size += done;
          this.torn = true;
        }
      }
      throw err;
    }
    this.size += buf.length;
    this.torn = false;
  }

  private rotate(): void {
    const { maxFiles, compress } = this.opts;
    const fd = this.open();
    if (maxFiles < 2) {
      fs.ftruncateSync(fd, 0);
      this.size = 0;
      this.torn = false;
      return;
    }
    // A compressed log may hold an uncompressed file too (its compression found no room): both
    // kinds shift, so that no rotation overwrites one.
    const kinds = compress ? ['.gz', ''] : [''];
    for (const ext of kinds) fs.rmSync(`${this.file}.${maxFiles - 1}${ext}`, { force: true });
    for (let i = maxFiles - 1; i > 1; i--)
      for (const ext of kinds) renameIfExists(`${this.file}.${i - 1}${ext}`, `${this.file}.${i}${ext}`);
    fs.renameSync(this.file, `${this.file}.1`);
    let next: number;
    try {
      next = fs.openSync(this.file, 'a', 0o600);
    } catch (err) {
      // No new file: the old one goes back to its name and takes the next records.
      renameIfExists(`${this.file}.1`, this.file);
      throw err;
    }
    fs.closeSync(fd);
    this.fd = next;
    this.size = 0;
    this.torn = false;
    if (compress) {
      try {
        gzipFile(`${this.file}.1`, `${this.file}.1.gz`);
      } catch {
        // No room for the compressed copy: the rotated file stays uncompressed, its lines kept
        // (readers take `.1` as well as `.1.gz`) until the next rotation replaces it.
      }
    }
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Synchronous, so that the next rotation never shifts a file still being compressed; at the
 * fastest level, as a rotation stalls every container's logging meanwhile.
 */
function gzipFile(from: string, to: string): void {
  const tmp = `${to}.tmp`;
  try {
    fs.writeFileSync(tmp, zlib.gzipSync(fs.readFileSync(from), { level: zlib.constants.Z_BEST_SPEED }), {
      mode: 0o600,
    });
    fs.renameSync(tmp, to);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.rmSync(from);
}

export interface RotatedFile {
  path: string;
  gzip: boolean;
  index: number;
}

/** `<file>.N` and `<file>.N.gz` next to `file`, oldest (highest N) first. */
export function rotatedFiles(file: string): RotatedFile[] {
  const base = path.basename(file);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return [];
  }
  const out: RotatedFile[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const m = /^(\d+)(\.gz)?$/.exec(name.slice(base.length + 1));
    if (m) out.push({ path: path.join(path.dirname(file), name), gzip: !!m[2], index: Number(m[1]) });
  }
  return out.sort((a, b) => b.index - a.index);
}
