/**
 * Freeing what removed images leave: reference counts are computed afresh from the index under
 * the store lock each time (never kept as counters that could drift), so a blob or layer goes
 * only when no recorded image and no container's image uses it. A layer someone is adding holds
 * its lock and is skipped, so a collection never races an add into a broken image.
 */
import fs from 'node:fs';
import type { BlobStore } from './blobs';
import type { LayerStore } from './layers';
import { isDigest } from './validate';

interface IndexRecord {
  id: string;
  retained?: boolean;
}

/** What a collection needs of the image store (store.ts passes itself). */
export interface Collectable {
  blobs: BlobStore;
  layers: LayerStore;
  update<T>(fn: (idx: { images: Record<string, IndexRecord> }) => Promise<T> | T): Promise<T>;
  readManifest(digest: string): { config: { digest: string }; layers: { digest: string }[] };
  readConfig(digest: string): { rootfs: { diff_ids: string[] } };
}

export interface Collected {
  /** Diff ids of the layers deleted. */
  layers: string[];
  /** Bytes freed: the files of deleted layers plus the deleted blobs. */
  reclaimed: number;
}

/** What the recorded images (and the containers' images) use. */
export interface References {
  blobs: Set<string>;
  diffIds: Set<string>;
  /** Blobs of recorded images that could not be read (EIO, EMFILE…): what they use is unknown. */
  unsure: string[];
}

/**
 * Deletes whatever of the images `removed` (manifest digests no longer in the index, or never
 * added) nothing else uses, and drops retained records whose image no container uses any more.
 */
export async function collect(
  store: Collectable,
  opts: { removed: string[]; inUse: ReadonlySet<string> },
): Promise<Collected> {
  const out = await store.update(async (idx) => {
    const candidates = new Set(opts.removed);
    for (const [digest, r] of Object.entries(idx.images)) {
      if (r.retained && !opts.inUse.has(r.id)) {
        delete idx.images[digest];
        candidates.add(digest);
      }
    }
    const refs = references(store, Object.keys(idx.images), opts.inUse);
    const out: Collected = { layers: [], reclaimed: 0 };
    // What is unused is not known: the files wait for a later reclaim (reclaim.ts).
    if (refs.unsure.length) return out;
    for (const digest of candidates) {
      if (!idx.images[digest]) await collectImage(store, digest, refs, out);
    }
    return out;
  });
  await store.layers.sweep();
  return out;
}

/** Deletes those of `digests` that no recorded image uses (what a failed or partial load wrote). */
export async function discardBlobs(store: Collectable, digests: Iterable<string>): Promise<void> {
  await store.update((idx) => {
    const refs = references(store, Object.keys(idx.images), new Set());
    for (const d of digests) if (!refs.blobs.has(d)) store.blobs.remove(d);
  });
}

export function references(store: Collectable, manifests: string[], inUse: ReadonlySet<string>): References {
  const refs: References = { blobs: new Set(), diffIds: new Set(), unsure: [] };
  // A blob that is gone or not JSON names nothing; one that could not be read now might.
  const read = <T>(digest: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== undefined && code !== 'ENOENT' && !(err instanceof SyntaxError)) refs.unsure.push(digest);
      return undefined;
    }
  };
  const addConfig = (digest: string) => {
    refs.blobs.add(digest);
    for (const d of read(digest, () => store.readConfig(digest))?.rootfs?.diff_ids ?? []) refs.diffIds.add(d);
  };
  for (const m of manifests) {
    refs.blobs.add(m);
    const manifest = read(m, () => store.readManifest(m));
    if (!manifest) continue;
    if (manifest.config?.digest) addConfig(manifest.config.digest);
    for (const l of Array.isArray(manifest.layers) ? manifest.layers : []) refs.blobs.add(l.digest);
  }
  // A container keeps its image's layers (its overlay lowerdirs) even when the image is gone.
  for (const id of inUse) if (store.blobs.has(id)) addConfig(id);
  return refs;
}

async function collectImage(store: Collectable, digest: string, refs: References, out: Collected) {
  const manifest = tryRead(() => store.readManifest(digest)) ?? wellFormed(store, digest);
  const configDigest = manifest?.config?.digest;
  const config = configDigest
    ? (tryRead(() => store.readConfig(configDigest)) ?? wellFormed(store, configDigest))
    : undefined;
  const diffIds = config?.rootfs?.diff_ids ?? [];
  for (const [i, layer] of (Array.isArray(manifest?.layers) ? manifest.layers : []).entries()) {
    const diffId = diffIds[i];
    if (!diffId) {
      if (!refs.blobs.has(layer.digest)) deleteBlob(store, layer.digest, out);
      continue;
    }
    await store.layers.ifUnlocked(diffId, () => {
      if (!refs.diffIds.has(diffId) && store.layers.has(diffId)) {
        const record = store.layers.record(diffId);
        store.layers.remove(diffId);
        out.layers.push(diffId);
        out.reclaimed += record?.size ?? 0;
        for (const b of record?.blobs ?? []) if (!refs.blobs.has(b.digest)) deleteBlob(store, b.digest, out);
      } else if (!refs.blobs.has(layer.digest)) {
        store.layers.dropSource(diffId, layer.digest);
      }
      if (!refs.blobs.has(layer.digest)) deleteBlob(store, layer.digest, out);
    });
  }
  if (configDigest && !refs.blobs.has(configDigest)) deleteBlob(store, configDigest, out);
  if (!refs.blobs.has(digest)) deleteBlob(store, digest, out);
}

/**
 * Digests reach here from the store's own readers, which validate what they return; a layer
 * record's blob list is checked here too, so no unvalidated value ever becomes a path.
 */
function deleteBlob(store: Collectable, digest: string, out: Collected): void {
  if (!isDigest(digest)) return;
  try {
    out.reclaimed += fs.statSync(store.blobs.path(digest)).size;
  } catch {
    return; // already gone
  }
  store.blobs.remove(digest);
}

/**
 * What a failed add wrote may be exactly what validation refused: its well-formed digests are
 * still its own to free, the rest (never a path) are left as empty strings, keeping positions.
 */
function wellFormed(
  store: Collectable,
  digest: string,
): { config: { digest: string }; layers: { digest: string }[]; rootfs: { diff_ids: string[] } } | undefined {
  const body = tryRead(
    () => JSON.parse(store.blobs.read(digest).toString('utf8')) as Record<string, unknown>,
  );
  if (typeof body !== 'object' || body === null) return undefined;
  const ok = (d: unknown): string => (isDigest(d) ? d : '');
  const ofDescriptor = (d: unknown) => ({ digest: ok((d as { digest?: unknown } | null)?.digest) });
  const layers = Array.isArray(body.layers) ? body.layers : [];
  const diffIds = (body.rootfs as { diff_ids?: unknown } | null)?.diff_ids;
  return {
    config: ofDescriptor(body.config),
    layers: layers.map(ofDescriptor),
    rootfs: { diff_ids: Array.isArray(diffIds) ? diffIds.map(ok) : [] },
  };
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
