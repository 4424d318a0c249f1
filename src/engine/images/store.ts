/**
 * The local image store under `$TSCOMPOSE_ROOT/images`: blobs by digest (the original layer and
 * config bytes, so every digest survives save/push), layers unpacked once into
 * `layers/<diff-id hex>/diff` and shared read-only as overlay lowerdirs through short links in
 * `l/` (many layers must still fit `lowerdir=` in one page), and tags in `repositories.json`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { TscomposeError } from '../../errors';
import { writeJsonAtomic } from '../state/atomic';
import { withLock } from '../state/lock';
import { BlobStore } from './blobs';
import { applyChanges, type ImageConfig } from './changes';
import { formatReference, parseReference } from './reference';
import { unpackLayer } from './unpack';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

export interface ImageConfigFile {
  architecture: string;
  os: string;
  created: string;
  config: ImageConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created: string; created_by: string }[];
}

export interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
}

export interface ResolvedImage {
  /** The config digest (docker's image ID). */
  id: string;
  manifestDigest: string;
  config: ImageConfigFile;
  /** Unpacked layer directories, top-most first (overlay lowerdir order). */
  layerDirs: string[];
  /** The same as short paths relative to `store.root`, for a `lowerdir=` that fits one page. */
  layerLinks: string[];
  /** What layerLinks are relative to. */
  storeRoot: string;
}

export class ImageNotFoundError extends TscomposeError {
  constructor(ref: string) {
    super(`No such image: ${ref}`, { code: 'IMAGE_NOT_FOUND', exitCode: 125 });
  }
}

export class ImageStore {
  readonly blobs: BlobStore;
  private readonly tagsFile: string;

  constructor(readonly root: string) {
    this.blobs = new BlobStore(root);
    this.tagsFile = path.join(root, 'repositories.json');
  }

  /** `docker import`: one root file-system tar becomes a one-layer image. */
  async importRootfs(
    input: Readable,
    opts: { tag?: string; changes?: string[]; architecture?: string; now?: Date } = {},
  ): Promise<ResolvedImage> {
    const imageConfig = applyChanges({}, opts.changes ?? []); // bad changes fail before anything is stored
    return this.importLayers([input], {
      tag: opts.tag,
      config: imageConfig,
      history: ['tscompose image import'],
      architecture: opts.architecture,
      now: opts.now,
    });
  }

  /**
   * Uncompressed layer tars (streams or file paths), bottom first, become one image; a layer
   * already stored is not unpacked again. `history` holds one `created_by` per layer.
   */
  async importLayers(
    layerTars: Readable[] | string[],
    opts: { tag?: string; config?: ImageConfig; history?: string[]; architecture?: string; now?: Date } = {},
  ): Promise<ResolvedImage> {
    const diffIds: string[] = [];
    for (const tar of layerTars) {
      const digest = await this.blobs.putStream(typeof tar === 'string' ? fs.createReadStream(tar) : tar);
      await this.ensureLayer(digest);
      diffIds.push(digest);
    }
    const created = (opts.now ?? new Date()).toISOString();
    const config: ImageConfigFile = {
      architecture: opts.architecture ?? 'amd64',
      os: 'linux',
      created,
      config: opts.config ?? {},
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: (opts.history ?? diffIds.map(() => 'tscompose image import')).map((by) => ({
        created,
        created_by: by,
      })),
    };
    const configBytes = Buffer.from(JSON.stringify(config));
    const configDigest = this.blobs.put(configBytes);
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
      layers: diffIds.map((d) => ({ mediaType: MEDIA.ociLayer, digest: d, size: this.blobs.size(d) })),
    };
    const manifestDigest = this.blobs.put(JSON.stringify(manifest));
    if (opts.tag) await this.tag(opts.tag, manifestDigest);
    return this.resolveManifest(manifestDigest);
  }

  async tag(ref: string, manifestDigest: string): Promise<void> {
    const key = formatReference(parseReference(ref));
    await withLock(`${this.tagsFile}.lock`, () => {
      const tags = this.tags();
      tags[key] = manifestDigest;
      writeJsonAtomic(this.tagsFile, tags);
    });
  }

  /** Removes tags (normalized references); returns those that existed. */
  async untag(refs: string[]): Promise<string[]> {
    return withLock(`${this.tagsFile}.lock`, () => {
      const tags = this.tags();
      const gone = refs.filter((r) => r in tags);
      for (const r of gone) delete tags[r];
      writeJsonAtomic(this.tagsFile, tags);
      return gone;
    });
  }

  tags(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.tagsFile, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  /** A reference (`busybox`, `busybox@sha256:…`) or an image ID to the image it names. */
  resolve(ref: string): ResolvedImage {
    if (/^sha256:[a-f0-9]{64}$/.test(ref) && this.blobs.has(ref)) {
      const hit = Object.values(this.tags()).find((m) => this.readManifest(m).config.digest === ref);
      if (hit) return this.resolveManifest(hit);
    }
    const r = parseReference(ref);
    const digest = r.digest ?? this.tags()[formatReference(r)];
    if (!digest || !this.blobs.has(digest)) throw new ImageNotFoundError(ref);
    return this.resolveManifest(digest);
  }

  private readManifest(digest: string): Manifest {
    return JSON.parse(this.blobs.read(digest).toString('utf8')) as Manifest;
  }

  private resolveManifest(manifestDigest: string): ResolvedImage {
    const manifest = this.readManifest(manifestDigest);
    const config = JSON.parse(this.blobs.read(manifest.config.digest).toString('utf8')) as ImageConfigFile;
    const ordered = [...config.rootfs.diff_ids].reverse();
    return {
      id: manifest.config.digest,
      manifestDigest,
      config,
      layerDirs: ordered.map((d) => this.layerDir(d)),
      layerLinks: ordered.map((d) => path.join('l', shortId(d))),
      storeRoot: this.root,
    };
  }

  layerDir(diffId: string): string {
    return path.join(this.root, 'layers', diffId.replace(/^sha256:/, ''), 'diff');
  }

  /** Unpacks an uncompressed layer blob once: into a temp dir, then renamed into place. */
  private async ensureLayer(diffId: string): Promise<void> {
    const dir = this.layerDir(diffId);
    if (fs.existsSync(dir)) return;
    const parent = path.dirname(dir);
    const tmp = path.join(this.root, 'layers', `.tmp-${crypto.randomBytes(6).toString('hex')}`);
    try {
      await unpackLayer(fs.createReadStream(this.blobs.path(diffId)), path.join(tmp, 'diff'));
      fs.mkdirSync(path.join(this.root, 'l'), { recursive: true });
      try {
        fs.renameSync(tmp, parent);
      } catch (err) {
        if (!fs.existsSync(dir)) throw err; // a concurrent import of the same layer won the race
      }
      const link = path.join(this.root, 'l', shortId(diffId));
      if (!fs.existsSync(link)) fs.symlinkSync(path.relative(path.dirname(link), dir), link);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

function shortId(diffId: string): string {
  return diffId.replace(/^sha256:/, '').slice(0, 12);
}
