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

export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly opts: RotationOptions = NO_ROTATION,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a', 0o600);
    // A re-adopted container appends to the log of the daemon before: its size counts.
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Records, each whole in one file: a record never straddles a rotation. */
  append(records: string[]): void {
    let batch = '';
    for (const rec of records) {
      if (this.opts.maxSize !== undefined && this.size >= this.opts.maxSize) {
        this.writeOut(batch);
        batch = '';
        this.rotate();
      }
      batch += rec;
      this.size += Buffer.byteLength(rec);
    }
    this.writeOut(batch);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private writeOut(text: string): void {
    if (text) fs.writeSync(this.fd, text);
  }

  private rotate(): void {
    const { maxFiles, compress } = this.opts;
    if (maxFiles < 2) {
      fs.ftruncateSync(this.fd, 0);
      this.size = 0;
      return;
    }
    const ext = compress ? '.gz' : '';
    fs.rmSync(`${this.file}.${maxFiles - 1}${ext}`, { force: true });
    for (let i = maxFiles - 1; i > 1; i--)
      renameIfExists(`${this.file}.${i - 1}${ext}`, `${this.file}.${i}${ext}`);
    fs.closeSync(this.fd);
    fs.renameSync(this.file, `${this.file}.1`);
    if (compress) gzipFile(`${this.file}.1`, `${this.file}.1.gz`);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = 0;
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
  fs.writeFileSync(tmp, zlib.gzipSync(fs.readFileSync(from), { level: zlib.constants.Z_BEST_SPEED }), {
    mode: 0o600,
  });
  fs.renameSync(tmp, to);
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
