/**
 * Unpacked layers, keyed by diff id: `layers/<hex>/diff` (the overlay lowerdir), beside
 * `layers/<hex>/layer.json` naming the blob(s) it was unpacked from and its size, and a short
 * link `l/<12 hex>` so many lowerdirs fit `lowerdir=` in one page. A layer is unpacked once,
 * under a per-layer lock, into a temp dir renamed into place only after the unpacked stream's
 * sha256 matched the diff id, so a crash or a corrupted blob never leaves a half layer behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TscomposeError } from '../../common/errors';
import { writeJsonAtomic } from '../../common/atomic';
import { withLock } from '../../platform/linux/file-lock';
import type { BlobStore } from './blobs';
import { inflateBounded } from './expansion';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits';
import { sniffCompression } from './media';
import { unpackLayer } from './unpack';
import { digestProblem } from './validate';

export interface LayerSource {
  digest: string;
  mediaType: string;
  size: number;
}

export interface LayerRecord {
  diffId: string;
  /** Bytes of the files in the layer, as docker counts an image's size. */
  size: number;
  /** The stored blobs that unpack to this layer (gzip, zstd or plain tar of the same content). */
  blobs: LayerSource[];
}

export class DiffIdMismatchError extends TscomposeError {
  constructor(blob: string, expected: string, actual: string) {
    super(
      `layer ${blob} does not match the image config: it unpacks to ${actual}, the config says ${expected}`,
      { code: 'DIFF_ID_MISMATCH', kind: 'invalid-argument' },
    );
  }
}

/** A big layer may take minutes to unpack while another add of it waits. */
const LOCK_WAIT_MS = 30 * 60_000;

/** A diff id becomes a directory name: only a well-formed sha256 digest ever does. */
function hex(diffId: string): string {
  const problem = digestProblem(diffId);
  if (problem)
    throw new TscomposeError(`layer ${problem}`, { code: 'INVALID_DIGEST', kind: 'invalid-argument' });
  return diffId.slice('sha256:'.length);
}

export class LayerStore {
  readonly dir: string;
  readonly linksDir: string;
  readonly locksDir: string;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    readonly root: string,
    private readonly blobs: BlobStore,
    private readonly limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  ) {
    this.dir = path.join(root, 'layers');
    this.linksDir = path.join(root, 'l');
    this.locksDir = path.join(root, 'locks');
  }

  diffDir(diffId: string): string {
    return path.join(this.dir, hex(diffId), 'diff');
  }

  /** Relative to the store root, for a short `lowerdir=`. */
  link(diffId: string): string {
    return path.join('l', hex(diffId).slice(0, 12));
  }

  has(diffId: string): boolean {
    return fs.existsSync(this.diffDir(diffId));
  }

  record(diffId: string): LayerRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.recordFile(diffId), 'utf8')) as LayerRecord;
    } catch {
      return undefined;
    }
  }

  list(): string[] {
    try {
      return fs
        .readdirSync(this.dir)
        .filter((n) => /^[a-f0-9]{64}$/.test(n))
        .map((n) => `sha256:${n}`);
    } catch {
      return [];
    }
  }

  lockFile(diffId: string): string {
    return path.join(this.locksDir, `layer-${hex(diffId)}.lock`);
  }

  /**
   * Runs `fn` holding the locks of these layers, taken in one order so two adds never wait on
   * each other. A collection skips a locked layer, so what `fn` unpacks cannot vanish before
   * `fn` records the image that uses it. A lock file lives only while it is held.
   */
  async withLocks<T>(diffIds: readonly string[], fn: () => Promise<T>): Promise<T> {
    const ordered = [...new Set(diffIds)].sort();
    const hold = (i: number): Promise<T> =>
      i === ordered.length
        ? fn()
        : withLock(
            this.lockFile(ordered[i]),
            (lock) => {
              lock.removeOnRelease();
              return hold(i + 1);
            },
            LOCK_WAIT_MS,
          );
    return hold(0);
  }

  /** `fn` under the layer's lock, or undefined at once when someone else holds it. */
  async ifUnlocked<T>(diffId: string, fn: () => T): Promise<T | undefined> {
    try {
      return await withLock(
        this.lockFile(diffId),
        (lock) => {
          lock.removeOnRelease();
          return fn();
        },
        0,
      );
    } catch (err) {
      if ((err as TscomposeError).code === 'LOCK_TIMEOUT') return undefined;
      throw err;
    }
  }

  /**
   * With the layer's lock held (withLocks): makes sure `diffId` is unpacked and `source` (a
   * stored blob) recorded as one of its origins; unpacks from `source` when the layer is new.
   */
  async ensureLocked(diffId: string, source: LayerSource): Promise<LayerRecord> {
    const known = this.has(diffId) ? this.record(diffId) : undefined;
    if (!known) return this.unpack(diffId, source);
    if (!known.blobs.some((b) => b.digest === source.digest)) {
      if (!this.blobs.has(source.digest)) {
        throw new TscomposeError(`layer blob ${source.digest} is not in the store`, { code: 'BLOB_UNKNOWN' });
      }
      known.blobs.push({ digest: source.digest, mediaType: source.mediaType, size: source.size });
      this.writeRecord(known);
    }
    this.ensureLink(diffId);
    return known;
  }

  /** Forgets that `digest` unpacks to this layer (the blob is being deleted); the caller holds the lock. */
  dropSource(diffId: string, digest: string): void {
    const known = this.record(diffId);
    if (!known || !known.blobs.some((b) => b.digest === digest)) return;
    known.blobs = known.blobs.filter((b) => b.digest !== digest);
    this.writeRecord(known);
  }

  /**
   * Renames the layer out of the way (`.gc-*`), so nobody finds a half-deleted layer; its files
   * go in `sweep`, off the event loop and outside any lock. The caller holds the layer's lock.
   */
  remove(diffId: string): void {
    this.discardDir(path.dirname(this.diffDir(diffId)), hex(diffId));
    fs.rmSync(path.join(this.root, this.link(diffId)), { force: true });
  }

  /** Makes `dir` (a layer or a temp unpack dir) garbage for the next sweep. */
  discardDir(dir: string, label: string): void {
    const gone = path.join(this.dir, `.gc-${label}-${crypto.randomBytes(4).toString('hex')}`);
    try {
      fs.renameSync(dir, gone);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /**
   * Deletes every `.gc-*` dir (removed layers, reclaimed temp dirs): a big layer has many files,
   * so this runs in the thread pool and never under a lock; one sweep at a time per store.
   */
  async sweep(): Promise<void> {
    this.sweeping = this.sweeping.then(async () => {
      let names: string[];
      try {
        names = await fs.promises.readdir(this.dir);
      } catch {
        return;
      }
      for (const n of names.filter((x) => x.startsWith('.gc-')))
        await fs.promises.rm(path.join(this.dir, n), { recursive: true, force: true }).catch((err: Error) => {
          console.error(`tscompose: could not remove ${path.join(this.dir, n)}: ${err.message}`);
        });
    });
    return this.sweeping;
  }

  private writeRecord(r: LayerRecord): void {
    writeJsonAtomic(this.recordFile(r.diffId), r);
  }

  private recordFile(diffId: string): string {
    return path.join(this.dir, hex(diffId), 'layer.json');
  }

  private async unpack(diffId: string, source: LayerSource): Promise<LayerRecord> {
    const blobFile = this.blobs.path(source.digest);
    if (!fs.existsSync(blobFile)) {
      throw new TscomposeError(`layer blob ${source.digest} is not in the store`, { code: 'BLOB_UNKNOWN' });
    }
    // Named after the layer, whose lock the unpack holds: a reclaim knows whether it is in flight.
    const tmp = path.join(this.dir, `.tmp-${hex(diffId)}-${crypto.randomBytes(6).toString('hex')}`);
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    try {
      const hash = crypto.createHash('sha256');
      const hasher = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      const raw = fs.createReadStream(blobFile);
      const tar = inflateBounded(raw, sniffCompression(blobFile), {
        ratio: this.limits.maxExpansionRatio,
        what: `layer ${source.digest}`,
        compressedSize: fs.statSync(blobFile).size,
      });
      // The decompressor's own error (a bomb, a truncated stream) says more than the unpacker's echo of it.
      let inflateError: unknown;
      const tarStream: Readable = tar.pipe(hasher);
      tar.on('error', (err) => {
        inflateError ??= err;
        tarStream.destroy(err);
      });
      // An error after the unpacker let go of the stream is read by finished() below.
      tarStream.on('error', () => undefined);
      let size: number;
      try {
        ({ size } = await unpackLayer(tarStream, path.join(tmp, 'diff'), this.limits));
        // tar-stream stops at the end-of-archive blocks: the hash must also cover the padding after
        // them (and a bomb hidden after them still meets the limit).
        if (!tarStream.readableEnded) await finished(tarStream.resume());
      } catch (err) {
        // Closed before the error is seen: a pipe does not pass destruction upstream, and an
        // open blob keeps its disk space after the blob is deleted.
        tar.destroy();
        if (!raw.closed) await new Promise<void>((resolve) => raw.once('close', () => resolve()).destroy());
        throw inflateError ?? err;
      } finally {
        tar.destroy();
        raw.destroy();
      }
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== diffId) throw new DiffIdMismatchError(source.digest, diffId, actual);
      const record: LayerRecord = {
        diffId,
        size,
        blobs: [{ digest: source.digest, mediaType: source.mediaType, size: source.size }],
      };
      writeJsonAtomic(path.join(tmp, 'layer.json'), record);
      try {
        fs.renameSync(tmp, path.dirname(this.diffDir(diffId)));
      } catch (err) {
        // Another process without our lock (an older build) may have won the race: same content.
        if (!this.has(diffId)) throw err;
      }
      this.ensureLink(diffId);
      return this.record(diffId) ?? record;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  private ensureLink(diffId: string): void {
    const link = path.join(this.root, this.link(diffId));
    fs.mkdirSync(this.linksDir, { recursive: true, mode: 0o700 });
    try {
      fs.symlinkSync(path.relative(this.linksDir, this.diffDir(diffId)), link);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
