/**
 * The local image store under `$TSCOMPOSE_ROOT/images`: blobs by digest (manifests, configs and
 * the original layer blobs, so every digest survives save/push), layers unpacked once by diff id
 * (see layers.ts), the images (manifest digests) in `images.json` and tags in
 * `repositories.json`. Both index files change only under the store lock and are replaced whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError, TscomposeError } from '../../common/errors';
import { withLock } from '../../platform/linux/file-lock';
import { BlobStore } from './blobs';
import { applyChanges, type ImageConfig } from './changes';
import { collect } from './gc-collect';
import {
  checkTag,
  isDigest,
  readIndexFile,
  writeIndexFile,
  writeRepaired,
  type IndexRead,
} from './index-file';
import { LayerStore } from './layers';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits';
import { MANIFEST_TYPES, MEDIA } from './media';
import { formatReference, parseReference } from '../../common/image-reference';
import { checkConfigShape, checkDigest, checkManifestShape, parseJsonObject } from './validate';

export { MEDIA } from './media';

export interface ImageConfigFile {
  architecture: string;
  os: string;
  variant?: string;
  created: string;
  author?: string;
  /** docker's own field: `import -m`, `commit -m`. */
  comment?: string;
  config: ImageConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
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

export interface ImageRecord {
  /** The config digest. */
  id: string;
  added: string;
  /**
   * Removed by the user (`rmi -f`) while a stopped container still used it: hidden from every
   * lookup, but its config and layers stay until the next collection finds it unused.
   */
  retained?: boolean;
  /** `repository@manifest-digest` of each registry repository it was pulled from or pushed to. */
  repoDigests?: string[];
  /**
   * Found again from its manifest after the index was damaged: its tags may be lost, so it is
   * not dangling to `image prune` (only `prune -a` or `image rm` removes it).
   */
  recovered?: boolean;
}

/** The two index files, read and written together under the store lock. */
export interface StoreIndex {
  /** manifest digest → record */
  images: Record<string, ImageRecord>;
  /** normalized reference → manifest digest */
  tags: Record<string, string>;
}

export class ImageNotFoundError extends NotFoundError {
  constructor(ref: string) {
    super(`No such image: ${ref}`, { code: 'IMAGE_NOT_FOUND', exitCode: 125 });
  }
}

export class ImageStore {
  readonly blobs: BlobStore;
  readonly layers: LayerStore;
  private readonly tagsFile: string;
  private readonly imagesFile: string;
  /** Damage already reported, so a damaged file is named once, not on every lookup. */
  private readonly told = new Set<string>();

  constructor(
    readonly root: string,
    readonly limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  ) {
    this.blobs = new BlobStore(root);
    this.layers = new LayerStore(root, this.blobs, limits);
    this.tagsFile = path.join(root, 'repositories.json');
    this.imagesFile = path.join(root, 'images.json');
  }

  /** `docker import`: one root file-system tar becomes a one-layer image. */
  async importRootfs(
    input: Readable,
    opts: { tag?: string; changes?: string[]; message?: string; architecture?: string; now?: Date } = {},
  ): Promise<ResolvedImage> {
    const imageConfig = applyChanges({}, opts.changes ?? []); // bad changes fail before anything is stored
    // docker's import: no instruction, the message (default `Imported from -`) as the comment.
    const comment = opts.message || 'Imported from -';
    return this.importLayers([input], {
      tag: opts.tag,
      config: imageConfig,
      history: [{ comment }],
      comment,
      architecture: opts.architecture,
      now: opts.now,
    });
  }

  /**
   * Uncompressed layer tars (streams or file paths), bottom first, become one image; a layer
   * already stored is not unpacked again. `history` holds one `created_by` (or entry) per layer.
   */
  async importLayers(
    layerTars: Readable[] | string[],
    opts: {
      tag?: string;
      config?: ImageConfig;
      history?: (string | { comment: string })[];
      comment?: string;
      architecture?: string;
      now?: Date;
    } = {},
  ): Promise<ResolvedImage> {
    const diffIds: string[] = [];
    for (const tar of layerTars) {
      diffIds.push(await this.blobs.putStream(typeof tar === 'string' ? fs.createReadStream(tar) : tar));
    }
    const created = (opts.now ?? new Date()).toISOString();
    const config: ImageConfigFile = {
      architecture: opts.architecture ?? 'amd64',
      ...(opts.comment ? { comment: opts.comment } : {}),
      os: 'linux',
      created,
      config: opts.config ?? {},
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: (opts.history ?? diffIds.map(() => 'tscompose image import')).map((by) =>
        typeof by === 'string' ? { created, created_by: by } : { created, ...by },
      ),
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
    return this.addImage({ manifestDigest, tag: opts.tag });
  }

  /**
   * Makes an image of a manifest whose config and layer blobs (in their original compression)
   * are already in `blobs`: each layer is unpacked once and checked against the config's diff
   * id, then the image is recorded and tagged. On any failure nothing of it is left behind
   * except what other images use.
   */
  async addImage(opts: {
    manifestDigest: string;
    tag?: string;
    repoDigest?: string;
  }): Promise<ResolvedImage> {
    const { manifestDigest } = opts;
    const tagKey = opts.tag === undefined ? undefined : formatReference(parseReference(opts.tag));
    let manifest: Manifest;
    let config: ImageConfigFile;
    try {
      manifest = this.readManifest(manifestDigest);
      config = this.readConfig(manifest.config.digest);
      checkDiffIds(manifestDigest, manifest, config);
    } catch (err) {
      await this.discard(manifestDigest);
      throw err;
    }
    const diffIds = config.rootfs.diff_ids;
    try {
      await this.layers.withLocks(diffIds, async () => {
        for (let i = 0; i < diffIds.length; i++)
          await this.layers.ensureLocked(diffIds[i], manifest.layers[i]);
        // Registered while the layers are still locked, so no collection can take them first.
        await this.update((idx) => {
          const before = idx.images[manifestDigest]?.repoDigests ?? [];
          const repoDigests = withItem(before, opts.repoDigest);
          idx.images[manifestDigest] = {
            id: manifest.config.digest,
            added: new Date().toISOString(),
            ...(repoDigests.length ? { repoDigests } : {}),
          };
          if (tagKey) idx.tags[tagKey] = manifestDigest;
        });
      });
    } catch (err) {
      await this.discard(manifestDigest);
      throw err;
    }
    return this.resolveManifest(manifestDigest);
  }

  /** After a push: the image is now also known by its digest in that repository. */
  async addRepoDigest(manifestDigest: string, repoDigest: string): Promise<void> {
    await this.update((idx) => {
      const rec = idx.images[manifestDigest];
      if (rec) rec.repoDigests = withItem(rec.repoDigests ?? [], repoDigest);
    });
  }

  async tag(ref: string, manifestDigest: string): Promise<void> {
    const key = formatReference(parseReference(ref));
    await this.update((idx) => {
      if (!idx.images[manifestDigest] || idx.images[manifestDigest].retained)
        throw new ImageNotFoundError(manifestDigest);
      idx.tags[key] = manifestDigest;
      delete idx.images[manifestDigest].recovered;
    });
  }

  /** Removes tags (normalized references); returns those that existed. */
  async untag(refs: string[]): Promise<string[]> {
    return this.update((idx) => {
      const gone = refs.filter((r) => r in idx.tags);
      for (const r of gone) delete idx.tags[r];
      return gone;
    });
  }

  tags(): Record<string, string> {
    return this.index().tags;
  }

  /** Every image the user can see, by manifest digest. */
  images(): Record<string, ImageRecord> {
    return Object.fromEntries(Object.entries(this.index().images).filter(([, r]) => !r.retained));
  }

  /**
   * A reference (`busybox`, `busybox@sha256:…`), an image ID or a unique ID prefix, looked up
   * in docker's order, to the image it names.
   */
  resolve(ref: string): ResolvedImage {
    return this.resolveManifest(this.lookup(ref).manifestDigest);
  }

  /** What resolve found, and how the reference named it. */
  lookup(ref: string): Lookup {
    const hit = findManifest(this.index(), ref);
    if (!hit || !this.blobs.has(hit.manifestDigest)) throw new ImageNotFoundError(ref);
    return hit;
  }

  /**
   * Reads and changes the index under the store lock; written back only when `fn` returns, and
   * also when a damaged file of it was repaired (the damaged file is set aside, not lost).
   */
  async update<T>(fn: (idx: StoreIndex) => Promise<T> | T): Promise<T> {
    return withLock(`${this.tagsFile}.lock`, async () => {
      const { idx, images, tags } = this.loadIndex();
      const before = JSON.stringify(idx);
      const out = await fn(idx);
      const changed = JSON.stringify(idx) !== before;
      // images.json first: a crash between the two writes leaves tags whose images index() re-derives.
      if (images.damage) writeRepaired(this.imagesFile, idx.images);
      else if (changed) writeIndexFile(this.imagesFile, idx.images);
      if (tags.damage) writeRepaired(this.tagsFile, idx.tags);
      else if (changed) writeIndexFile(this.tagsFile, idx.tags);
      return out;
    });
  }

  /** The index as on disk (repaired in memory if a file of it is damaged, see index-file.ts). */
  index(): StoreIndex {
    return this.loadIndex().idx;
  }

  private loadIndex(): { idx: StoreIndex; images: IndexRead<ImageRecord>; tags: IndexRead<string> } {
    const images = readIndexFile(this.imagesFile, checkImageRecord);
    const tags = readIndexFile(this.tagsFile, checkTag);
    const idx: StoreIndex = { images: images.value, tags: tags.value };
    // A store written before images.json knew its images by their tags.
    for (const digest of Object.values(idx.tags)) {
      if (idx.images[digest] || !this.blobs.has(digest)) continue;
      const id = tryRead(() => this.readManifest(digest))?.config?.digest;
      if (isDigest(id)) idx.images[digest] = { id, added: new Date(0).toISOString() };
    }
    if (!images.damage && !tags.damage) return { idx, images, tags };
    const rebuilt = images.damage ? this.rebuildImages(idx) : 0;
    // An image whose tags may be lost must not look dangling to the next prune.
    const tagged = new Set(Object.values(idx.tags));
    for (const r of Object.entries(idx.images)) if (!tagged.has(r[0])) r[1].recovered = true;
    this.report(this.imagesFile, images, `rebuilt ${rebuilt} image(s) from their manifests`);
    this.report(this.tagsFile, tags, 'images whose tags are lost are kept as untagged');
    return { idx, images, tags };
  }

  /** Adds every stored image manifest whose config and layers are all here; how many it added. */
  private rebuildImages(idx: StoreIndex): number {
    let n = 0;
    for (const digest of this.blobs.list()) {
      if (idx.images[digest] || this.blobs.size(digest) > MAX_MANIFEST_BYTES) continue;
      const manifest = tryRead(() => this.readManifest(digest));
      if (!manifest || typeof manifest !== 'object') continue;
      if (!MANIFEST_TYPES.includes(manifest.mediaType ?? MEDIA.ociManifest)) continue;
      const id = manifest.config?.digest;
      if (!isDigest(id) || !this.blobs.has(id)) continue;
      const diffIds = tryRead(() => this.readConfig(id))?.rootfs?.diff_ids;
      if (!Array.isArray(diffIds) || !diffIds.every((d) => isDigest(d) && this.layers.has(d))) continue;
      idx.images[digest] = { id, added: new Date().toISOString(), recovered: true };
      n++;
    }
    return n;
  }

  private report(file: string, read: IndexRead<unknown>, rebuilt: string): void {
    if (!read.damage) return;
    const line = `image index ${file} could not be read (${read.damage}): ${
      read.fromBackup ? `entries restored from ${file}.bak, ` : ''
    }${rebuilt}`;
    if (this.told.has(line)) return;
    this.told.add(line);
    console.error(`tscompose: ${line}`);
  }

  /** Checked on every read: a manifest's digests name files in the store. */
  readManifest(digest: string): Manifest {
    const what = `invalid image manifest ${checkDigest(digest, 'invalid image manifest')}`;
    const manifest = parseJsonObject(this.blobs.read(digest), what);
    checkManifest(digest, manifest as Partial<Manifest>);
    checkManifestShape(manifest, what);
    return manifest as unknown as Manifest;
  }

  /** Checked on every read: its diff ids name layer directories, its settings reach containers. */
  readConfig(digest: string): ImageConfigFile {
    const what = `invalid image config ${checkDigest(digest, 'invalid image config')}`;
    const config = parseJsonObject(this.blobs.read(digest), what);
    checkConfigShape(config, what);
    // The OCI spec makes `config` optional; the engine reads its fields everywhere.
    config.config ??= {};
    return config as unknown as ImageConfigFile;
  }

  resolveManifest(manifestDigest: string): ResolvedImage {
    const manifest = this.readManifest(manifestDigest);
    const config = this.readConfig(manifest.config.digest);
    const ordered = [...config.rootfs.diff_ids].reverse();
    return {
      id: manifest.config.digest,
      manifestDigest,
      config,
      layerDirs: ordered.map((d) => this.layerDir(d)),
      layerLinks: ordered.map((d) => this.layers.link(d)),
      storeRoot: this.root,
    };
  }

  layerDir(diffId: string): string {
    return this.layers.diffDir(diffId);
  }

  /** Docker's image size: the bytes of the files of every layer. */
  size(img: ResolvedImage): number {
    return img.config.rootfs.diff_ids.reduce((n, d) => n + (this.layers.record(d)?.size ?? 0), 0);
  }

  /** The blobs of a failed add that nothing else uses. */
  private async discard(manifestDigest: string): Promise<void> {
    await collect(this, { removed: [manifestDigest], inUse: new Set() }).catch(() => undefined);
  }
}

const badManifest = (digest: string, why: string) =>
  new TscomposeError(`manifest ${digest}: ${why}`, {
    code: 'BAD_MANIFEST',
    exitCode: 1,
    kind: 'invalid-argument',
  });

/** An OCI manifest may leave out its mediaType; an index or a list is no image of its own. */
function checkManifest(digest: string, manifest: Partial<Manifest>): void {
  const type = manifest.mediaType ?? MEDIA.ociManifest;
  if (!MANIFEST_TYPES.includes(type) || manifest.schemaVersion !== 2)
    throw badManifest(
      digest,
      `not an image manifest (${String(type)}, schemaVersion ${String(manifest.schemaVersion)})`,
    );
}

function checkDiffIds(digest: string, manifest: Manifest, config: ImageConfigFile): void {
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds)) throw badManifest(digest, 'its config has no rootfs.diff_ids');
  if (manifest.layers.length !== diffIds.length)
    throw badManifest(
      digest,
      `${manifest.layers.length} layers but the config has ${diffIds.length} diff ids`,
    );
}

/** How a reference named an image: by ID (or prefix), by a tag (`key`, normalized) or by a manifest digest. */
export interface Lookup {
  manifestDigest: string;
  by: 'id' | 'tag' | 'digest';
  key?: string;
}

/** Docker's GetImage order: an ID, a tagged or digested reference, then an ID prefix. */
function findManifest(idx: StoreIndex, ref: string): Lookup | undefined {
  const visible = Object.entries(idx.images).filter(([, r]) => !r.retained);
  const byId = (id: string): Lookup | undefined => {
    const hit = visible.find(([, r]) => r.id === id)?.[0];
    return hit ? { manifestDigest: hit, by: 'id' } : undefined;
  };
  if (/^sha256:[a-f0-9]{64}$/.test(ref)) return byId(ref);
  if (/^[a-f0-9]{64}$/.test(ref)) return byId(`sha256:${ref}`);
  try {
    const r = parseReference(ref);
    if (r.digest) {
      const hit = visible.find(([m]) => m === r.digest)?.[0];
      if (hit) return { manifestDigest: hit, by: 'digest' };
    } else {
      const key = formatReference(r);
      if (idx.tags[key]) return { manifestDigest: idx.tags[key], by: 'tag', key };
    }
  } catch (err) {
    if (!/^(sha256:)?[a-f0-9]+$/.test(ref)) throw err;
  }
  const prefix = /^(?:sha256:)?([a-f0-9]{1,63})$/.exec(ref)?.[1];
  if (!prefix) return undefined;
  const ids = new Set(visible.map(([, r]) => r.id).filter((id) => id.startsWith(`sha256:${prefix}`)));
  if (ids.size > 1) {
    throw new TscomposeError(`multiple IDs found with provided prefix: ${ref}`, {
      code: 'AMBIGUOUS_ID',
      exitCode: 1,
    });
  }
  return ids.size ? byId([...ids][0]) : undefined;
}

/** Manifests are small; a layer blob is not read whole to find out it is none. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function checkImageRecord(key: string, value: unknown): ImageRecord | undefined {
  if (!isDigest(key) || typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (!isDigest(r.id) || typeof r.added !== 'string') return undefined;
  const repoDigests = r.repoDigests;
  if (
    repoDigests !== undefined &&
    !(Array.isArray(repoDigests) && repoDigests.every((d) => typeof d === 'string'))
  )
    return undefined;
  return {
    id: r.id,
    added: r.added,
    ...(r.retained === true ? { retained: true } : {}),
    ...(repoDigests?.length ? { repoDigests: repoDigests as string[] } : {}),
    ...(r.recovered === true ? { recovered: true } : {}),
  };
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function withItem(list: readonly string[], item: string | undefined): string[] {
  return item === undefined || list.includes(item) ? [...list] : [...list, item].sort();
}
