/**
 * Content-addressed blobs (`blobs/sha256/<hex>`): every write is hashed while it streams into a
 * temp file under `ingest/` and renamed into place only when digest and size match, so an
 * interrupted or corrupted download leaves nothing behind and concurrent writers of the same blob
 * never see a half-written file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { TscomposeError } from '../../common/errors';
import { digestProblem } from './validate';

const DIGEST = /^sha256:([a-f0-9]{64})$/;

export class DigestMismatchError extends TscomposeError {
  constructor(expected: string, actual: string, size: number) {
    super(`digest mismatch: expected ${expected}, got ${actual} (${size} bytes)`, {
      code: 'DIGEST_MISMATCH',
      kind: 'invalid-argument',
    });
  }
}

export class BlobStore {
  readonly blobsDir: string;
  readonly ingestDir: string;
  /**
   * When this process last found or wrote each blob: a pull or load finds or writes its blobs
   * before it records the image, and a reclaim must not take them meanwhile.
   */
  private readonly seen = new Map<string, number>();

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs', 'sha256');
    this.ingestDir = path.join(root, 'ingest');
  }

  path(digest: string): string {
    // The last line of defence: callers validate at the edge, but no digest becomes a path unchecked.
    const m = DIGEST.exec(digest);
    if (!m)
      throw new TscomposeError(digestProblem(digest) ?? 'invalid digest', {
        code: 'INVALID_DIGEST',
        kind: 'invalid-argument',
      });
    return path.join(this.blobsDir, m[1]);
  }

  has(digest: string): boolean {
    const there = fs.existsSync(this.path(digest));
    if (there) this.seen.set(digest, Date.now());
    return there;
  }

  /** Whether this process found or wrote the blob less than `ms` ago. */
  seenWithin(digest: string, ms: number): boolean {
    return Date.now() - (this.seen.get(digest) ?? -Infinity) < ms;
  }

  /** Forgets what was seen `ms` ago or earlier (so the memory stays bounded). */
  forgetSeen(ms: number): void {
    const before = Date.now() - ms;
    for (const [digest, at] of this.seen) if (at <= before) this.seen.delete(digest);
  }

  read(digest: string): Buffer {
    return fs.readFileSync(this.path(digest));
  }

  size(digest: string): number {
    return fs.statSync(this.path(digest)).size;
  }

  put(data: Buffer | string, expected?: string): string {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const digest = `sha256:${crypto.createHash('sha256').update(buf).digest('hex')}`;
    if (expected && expected !== digest) throw new DigestMismatchError(expected, digest, buf.length);
    if (this.has(digest)) return digest;
    const tmp = this.tempFile();
    try {
      fs.writeFileSync(tmp, buf, { mode: 0o600 });
      this.commit(tmp, digest);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return digest;
  }

  /** Streams a blob in; resolves to its digest once verified and in place. */
  async putStream(input: Readable, expected?: { digest?: string; size?: number }): Promise<string> {
    const hash = crypto.createHash('sha256');
    let size = 0;
    const tmp = this.tempFile();
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    // Opened now, not when the stream gets to it: a source that fails at once must not leave an
    // empty temp file created after the cleanup below already ran.
    const fd = fs.openSync(tmp, 'wx', 0o600);
    const out = fs.createWriteStream(tmp, { fd });
    try {
      await pipeline(input, counter, out);
      const digest = `sha256:${hash.digest('hex')}`;
      if (expected?.digest && expected.digest !== digest)
        throw new DigestMismatchError(expected.digest, digest, size);
      if (expected?.size !== undefined && expected.size !== size) {
        throw new TscomposeError(
          `size mismatch for ${digest}: expected ${expected.size} bytes, got ${size}`,
          {
            code: 'SIZE_MISMATCH',
            kind: 'invalid-argument',
          },
        );
      }
      this.commit(tmp, digest);
      return digest;
    } finally {
      // A failed pipeline closes the file later: its blocks are freed only then, not at the unlink.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
      fs.rmSync(tmp, { force: true });
    }
  }

  remove(digest: string): void {
    fs.rmSync(this.path(digest), { force: true });
  }

  list(): string[] {
    try {
      return fs
        .readdirSync(this.blobsDir)
        .filter((n) => /^[a-f0-9]{64}$/.test(n))
        .sort()
        .map((n) => `sha256:${n}`);
    } catch {
      return [];
    }
  }

  private tempFile(): string {
    fs.mkdirSync(this.ingestDir, { recursive: true, mode: 0o700 });
    return path.join(this.ingestDir, `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
  }

  /** rename(2) is atomic: a concurrent writer of the same content simply replaces identical bytes. */
  private commit(tmp: string, digest: string): void {
    fs.mkdirSync(this.blobsDir, { recursive: true, mode: 0o700 });
    fs.renameSync(tmp, this.path(digest));
    this.seen.set(digest, Date.now());
  }
}
