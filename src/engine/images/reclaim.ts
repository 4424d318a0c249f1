/**
 * What crashes and interrupted work leave in the image store, removed under the store lock:
 * temp unpack dirs (`layers/.tmp-<layer>-*`), half-removed layers (`layers/.gc-*`), partial
 * ingest files, atomic-write temp files, layers and blobs no image uses, short links to nothing,
 * registry source hints of gone blobs and lock files nobody holds. Run at engine start (when
 * nothing of this process is in flight) and after `image rm` and `image prune` (when a pull or
 * a load may be: their blobs are not yet in the index, so recent ones are left for later).
 */
import fs from 'node:fs';
import path from 'node:path';
import { removeIfUnheld } from '../../platform/linux/file-lock';
import { references, type Collectable, type References } from './gc-collect';

export interface ReclaimOptions {
  /** Image IDs containers use: their layers stay even when the image is gone. */
  inUse: ReadonlySet<string>;
  /** At engine start: no pull or load of this process can be in flight. */
  startup?: boolean;
}

/** An unreferenced blob younger than this may belong to a pull or load not yet recorded. */
export const BLOB_GRACE_MS = 60 * 60_000;
/** A partial ingest file of a live process untouched for this long is abandoned. */
const INGEST_STALE_MS = 24 * 60 * 60_000;

const HEX64 = /^[a-f0-9]{64}$/;

export interface Reclaimable extends Collectable {
  root: string;
}

/**
 * At start the engine does not wait for the files of removed layers (a big one takes a while):
 * nothing can find them any more, and they go in the background.
 */
export async function reclaim(store: Reclaimable, opts: ReclaimOptions): Promise<void> {
  await store.update(async (idx) => {
    const refs = references(store, Object.keys(idx.images), opts.inUse);
    // Nothing is deleted for being unused when what is used is not known.
    if (refs.unsure.length)
      console.error(
        `tscompose: image blobs unreadable (${refs.unsure.join(', ')}): unused layers and blobs kept`,
      );
    await reclaimLayers(store, refs, opts);
    if (!refs.unsure.length) reclaimBlobs(store, refs, opts);
    reclaimLinks(store);
    reclaimIngest(store, opts);
    reclaimSources(store, opts);
    for (const dir of [store.root, store.layers.dir]) removeStaleTemps(dir, opts);
    await reclaimLocks(store);
  });
  const swept = store.layers.sweep();
  if (!opts.startup) await swept;
}

async function reclaimLayers(store: Reclaimable, refs: References, opts: ReclaimOptions): Promise<void> {
  for (const name of list(store.layers.dir)) {
    const full = path.join(store.layers.dir, name);
    const tmp = /^\.tmp-([a-f0-9]{64})-[a-f0-9]+$/.exec(name);
    if (tmp) {
      // An unpack in flight holds its layer's lock.
      await store.layers.ifUnlocked(`sha256:${tmp[1]}`, () => store.layers.discardDir(full, 'tmp'));
    } else if (name.startsWith('.tmp-')) {
      if (opts.startup) store.layers.discardDir(full, 'tmp'); // an older build's name: no layer to ask about
    } else if (HEX64.test(name) && !refs.unsure.length && !refs.diffIds.has(`sha256:${name}`)) {
      const diffId = `sha256:${name}`;
      await store.layers.ifUnlocked(diffId, () => {
        if (!refs.diffIds.has(diffId)) store.layers.remove(diffId);
      });
    }
  }
}

function reclaimBlobs(store: Reclaimable, refs: References, opts: ReclaimOptions): void {
  const now = Date.now();
  store.blobs.forgetSeen(BLOB_GRACE_MS);
  for (const digest of store.blobs.list()) {
    if (refs.blobs.has(digest)) continue;
    if (!opts.startup) {
      if (store.blobs.seenWithin(digest, BLOB_GRACE_MS)) continue;
      const mtime = statOf(store.blobs.path(digest))?.mtimeMs ?? 0;
      if (now - mtime < BLOB_GRACE_MS) continue;
    }
    store.blobs.remove(digest);
  }
}

function reclaimLinks(store: Reclaimable): void {
  for (const name of list(store.layers.linksDir)) {
    const link = path.join(store.layers.linksDir, name);
    if (!statOf(link)) fs.rmSync(link, { force: true });
  }
}

/** Ingest files are `<pid>-<random>`: a dead writer's are garbage. */
function reclaimIngest(store: Reclaimable, opts: ReclaimOptions): void {
  const now = Date.now();
  for (const name of list(store.blobs.ingestDir)) {
    const file = path.join(store.blobs.ingestDir, name);
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    const stale = now - (statOf(file)?.mtimeMs ?? 0) > INGEST_STALE_MS;
    if (stale || !writing(pid, opts)) remove(file);
  }
}

/** Registry source hints (registry/sources.ts) of blobs that are gone. */
function reclaimSources(store: Reclaimable, opts: ReclaimOptions): void {
  const dir = path.join(store.root, 'distribution');
  for (const name of list(dir)) {
    const hex = /^([a-f0-9]{64})\.json$/.exec(name)?.[1];
    if (hex && !store.blobs.has(`sha256:${hex}`)) fs.rmSync(path.join(dir, name), { force: true });
  }
  removeStaleTemps(dir, opts);
  // Made on demand by a pull, which may be writing a hint right now: emptied only at start.
  if (opts.startup && fs.existsSync(dir) && list(dir).length === 0) fs.rmdirSync(dir);
}

async function reclaimLocks(store: Reclaimable): Promise<void> {
  for (const name of list(store.layers.locksDir)) {
    if (/^layer-[a-f0-9]{64}\.lock$/.test(name)) await removeIfUnheld(path.join(store.layers.locksDir, name));
  }
}

/** Temp files of atomic writes (`.<name>.<pid>.<random>.tmp`, `.<name>.bak.<pid>.tmp`) of dead writers. */
function removeStaleTemps(dir: string, opts: ReclaimOptions): void {
  for (const name of list(dir)) {
    const pid = Number(/^\..+\.(\d+)(?:\.[a-f0-9]+)?\.tmp$/.exec(name)?.[1]);
    if (pid && !writing(pid, opts)) remove(path.join(dir, name));
  }
}

/**
 * Whether the process that named a temp file may still write it. At start, files named after
 * this process are an earlier engine's that had the same pid (nothing of this one runs yet).
 */
function writing(pid: number, opts: ReclaimOptions): boolean {
  if (pid === process.pid) return !opts.startup;
  return alive(pid);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Best effort: what cannot go now goes at the next reclaim. */
function remove(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch (err) {
    console.error(`tscompose: could not remove ${p}: ${(err as Error).message}`);
  }
}
