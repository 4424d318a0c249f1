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
}

export interface Collected {
  /** Diff ids of the layers deleted. */
  layers: string[];
  /** Bytes freed: the files of deleted layers plus the deleted blobs. */
  reclaimed: number;
}

interface References {
  blobs: Set<string>;
  diffIds: Set<string>;
}

/**
 * Deletes whatever of the images `removed` (manifest digests no longer in the index, or never
 * added) nothing else uses, and drops retained records whose image no container uses any more.
 */
export async function collect(
  store: Collectable,
  opts: { removed: string[]; inUse: ReadonlySet<string> },
): Promise<Collected> {
  return store.update(async (idx) => {
    const candidates = new Set(opts.removed);
    for (const [digest, r] of Object.entries(idx.images)) {
      if (r.retained && !opts.inUse.has(r.id)) {
        delete idx.images[digest];
        candidates.add(digest);
      }
    }
    const refs = references(store, Object.keys(idx.images), opts.inUse);
    const out: Collected = { layers: [], reclaimed: 0 };
    for (const digest of candidates) {
      if (!idx.images[digest]) await collectImage(store, digest, refs, out);
    }
    return out;
  });
}

/** Deletes those of `digests` that no recorded image uses (what a failed or partial load wrote). */
export async function discardBlobs(store: Collectable, digests: Iterable<string>): Promise<void> {
  await store.update((idx) => {
    const refs = references(store, Object.keys(idx.images), new Set());
    for (const d of digests) if (isDigest(d) && !refs.blobs.has(d)) store.blobs.remove(d);
  });
}

function references(store: Collectable, manifests: string[], inUse: ReadonlySet<string>): References {
  const refs: References = { blobs: new Set(), diffIds: new Set() };
  const addConfig = (digest: string) => {
    refs.blobs.add(digest);
    for (const d of diffIdsOf(store, digest)) if (d) refs.diffIds.add(d);
  };
  for (const m of manifests) {
    refs.blobs.add(m);
    const manifest = manifestOf(store, m);
    if (!manifest) continue;
    if (manifest.config) addConfig(manifest.config);
    for (const l of manifest.layers) if (l) refs.blobs.add(l);
  }
  // A container keeps its image's layers (its overlay lowerdirs) even when the image is gone.
  for (const id of inUse) if (isDigest(id) && store.blobs.has(id)) addConfig(id);
  return refs;
}

async function collectImage(store: Collectable, digest: string, refs: References, out: Collected) {
  const manifest = manifestOf(store, digest);
  const configDigest = manifest?.config;
  const diffIds = configDigest ? diffIdsOf(store, configDigest) : [];
  for (const [i, layer] of (manifest?.layers ?? []).entries()) {
    const diffId = diffIds[i];
    if (!layer) continue;
    if (!diffId) {
      if (!refs.blobs.has(layer)) deleteBlob(store, layer, out);
      continue;
    }
    await store.layers.ifUnlocked(diffId, () => {
      if (!refs.diffIds.has(diffId) && store.layers.has(diffId)) {
        const record = store.layers.record(diffId);
        store.layers.remove(diffId);
        out.layers.push(diffId);
        out.reclaimed += record?.size ?? 0;
        for (const b of record?.blobs ?? [])
          if (isDigest(b.digest) && !refs.blobs.has(b.digest)) deleteBlob(store, b.digest, out);
      } else if (!refs.blobs.has(layer)) {
        store.layers.dropSource(diffId, layer);
      }
      if (!refs.blobs.has(layer)) deleteBlob(store, layer, out);
    });
  }
  if (configDigest && !refs.blobs.has(configDigest)) deleteBlob(store, configDigest, out);
  if (!refs.blobs.has(digest)) deleteBlob(store, digest, out);
}

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
 * A collection reads what an add may have refused (that is when it cleans up after one), so it
 * reads leniently, but only a well-formed digest is ever turned into a path: anything else is
 * `undefined` and left alone, keeping the positions of layers and diff ids aligned.
 */
function manifestOf(
  store: Collectable,
  digest: string,
): { config?: string; layers: (string | undefined)[] } | undefined {
  const body = readObject(store, digest);
  if (!body) return undefined;
  const digestOf = (d: unknown): string | undefined => {
    const v = (d as { digest?: unknown } | null)?.digest;
    return isDigest(v) ? v : undefined;
  };
  return {
    config: digestOf(body.config),
    layers: Array.isArray(body.layers) ? body.layers.map(digestOf) : [],
  };
}

function diffIdsOf(store: Collectable, configDigest: string): (string | undefined)[] {
  const ids = (readObject(store, configDigest)?.rootfs as { diff_ids?: unknown } | undefined)?.diff_ids;
  return Array.isArray(ids) ? ids.map((d) => (isDigest(d) ? d : undefined)) : [];
}

function readObject(store: Collectable, digest: string): Record<string, unknown> | undefined {
  if (!isDigest(digest)) return undefined;
  try {
    const v = JSON.parse(store.blobs.read(digest).toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
