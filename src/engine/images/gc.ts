/**
 * `image rm` and `image prune` with docker's rules (daemon/images/image_delete.go): a tag is
 * removed first; the image itself goes once nothing names it, unless a container uses it. A
 * running container is a hard conflict (not even `-f` removes the image); a stopped one, or
 * other tags when an ID was given, are soft (`-f` removes anyway; a stopped container keeps the
 * image's layers, see gc-collect.ts).
 */
import crypto from 'node:crypto';
import { ConflictError } from '../../common/errors';
import { collect } from './gc-collect';
import { reclaim } from './reclaim';
import { familiarName, parseReference } from '../../common/image-reference';
import type { ImageStore, StoreIndex } from './store';

export interface ContainerUse {
  id: string;
  running: boolean;
}

/** Image ID → a container using it (a running one when there is one). */
export type InUse = () => ReadonlyMap<string, ContainerUse>;

export interface DeleteItem {
  Untagged?: string;
  Deleted?: string;
}

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
const familiar = (key: string): string => familiarName(parseReference(key));

function tagsOf(idx: StoreIndex, manifestDigest: string): string[] {
  return Object.keys(idx.tags)
    .filter((t) => idx.tags[t] === manifestDigest)
    .sort();
}

interface Conflict {
  hard: boolean;
  used: boolean;
  message: string;
}

/** `tagged`: the image still has tags (a soft conflict); docker leaves that out when an ID named the image's only tag. */
function conflict(user: ContainerUse | undefined, force: boolean, tagged: boolean): Conflict | undefined {
  if (user?.running)
    return { hard: true, used: true, message: `image is being used by running container ${short(user.id)}` };
  if (force) return undefined;
  if (tagged) return { hard: false, used: false, message: 'image is referenced in multiple repositories' };
  if (user)
    return { hard: false, used: true, message: `image is being used by stopped container ${short(user.id)}` };
  return undefined;
}

/** Docker's layer chain IDs: the first is its diff id, each next one hashes the one below with its diff id. */
function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const below = out[out.length - 1];
    out.push(below ? `sha256:${crypto.createHash('sha256').update(`${below} ${d}`).digest('hex')}` : d);
  }
  return out;
}

/** docker's `Deleted: <chain id>` for each freed layer, in each image's order. */
function layerLines(images: string[][], freed: string[]): DeleteItem[] {
  const out: DeleteItem[] = [];
  const told = new Set<string>();
  for (const diffIds of images) {
    const chains = chainIds(diffIds);
    diffIds.forEach((d, i) => {
      if (freed.includes(d) && !told.has(d)) out.push({ Deleted: chains[i] });
      told.add(d);
    });
  }
  return out;
}

const repoOf = (key: string): string => {
  const r = parseReference(key);
  return `${r.domain}/${r.path}`;
};

/**
 * After a tag goes, the image's digest references of the same repository go too when no other
 * tag of that repository remains (moby's image_delete.go): `rmi reg/app:1` of a pulled image
 * also untags `reg/app@sha256:…`.
 */
function dropRepoDigests(idx: StoreIndex, manifestDigest: string, removedTag: string): DeleteItem[] {
  const repo = repoOf(removedTag);
  if (tagsOf(idx, manifestDigest).some((t) => repoOf(t) === repo)) return [];
  const rec = idx.images[manifestDigest];
  const [gone, kept] = [[] as string[], [] as string[]];
  for (const d of rec?.repoDigests ?? []) (repoOf(d) === repo ? gone : kept).push(d);
  if (!rec || !gone.length) return [];
  idx.images[manifestDigest] = { ...rec, repoDigests: kept };
  return gone.map((d) => ({ Untagged: familiar(d) }));
}

function conflictError(id: string, c: Conflict): ConflictError {
  return new ConflictError(
    `conflict: unable to delete ${short(id)} (${c.hard ? 'cannot' : 'must'} be forced) - ${c.message}`,
  );
}

export async function removeImage(
  store: ImageStore,
  ref: string,
  opts: { force?: boolean; inUse: InUse },
): Promise<DeleteItem[]> {
  const hit = store.lookup(ref);
  const img = store.resolveManifest(hit.manifestDigest);
  const force = opts.force === true;
  const out: DeleteItem[] = [];
  // Asked under the store lock: a container created meanwhile (it holds the lock too) is seen.
  let users: ReturnType<InUse> = new Map();
  const deleted = await store.update((idx) => {
    users = opts.inUse();
    const user = users.get(img.id);
    const tags = tagsOf(idx, img.manifestDigest);
    let quiet = false;
    if (hit.by === 'tag' && hit.key) {
      const key = hit.key;
      if (!force && tags.length === 1 && user) {
        // Untagging would leave the container's image dangling: docker wants that forced.
        throw new ConflictError(
          `conflict: unable to remove repository reference "${ref}" (must force) - container ${short(user.id)} is using its referenced image ${short(img.id)}`,
        );
      }
      delete idx.tags[key];
      out.push({ Untagged: familiar(key) });
      out.push(...dropRepoDigests(idx, img.manifestDigest, key));
      if (tags.length > 1) return false;
      quiet = true;
    } else if (tags.length === 1) {
      const c = conflict(user, force, false);
      if (c) throw conflictError(img.id, c);
      delete idx.tags[tags[0]];
      out.push({ Untagged: familiar(tags[0]) });
    }
    const c = conflict(user, force, tagsOf(idx, img.manifestDigest).length > 0);
    if (c) {
      // After an untag, only a conflict the user must hear of is reported (docker's quiet mode).
      if (quiet && c.used) return false;
      throw conflictError(img.id, c);
    }
    for (const t of tagsOf(idx, img.manifestDigest)) {
      delete idx.tags[t];
      out.push({ Untagged: familiar(t) });
    }
    if (user) idx.images[img.manifestDigest] = { ...idx.images[img.manifestDigest], retained: true };
    else delete idx.images[img.manifestDigest];
    out.push({ Deleted: img.id });
    return true;
  });
  const inUse = new Set(users.keys());
  if (!deleted) {
    await reclaim(store, { inUse });
    return out;
  }
  const { layers } = await collect(store, { removed: [img.manifestDigest], inUse });
  await reclaim(store, { inUse });
  return [...out, ...layerLines([img.config.rootfs.diff_ids], layers)];
}

export interface PruneResult {
  ImagesDeleted: DeleteItem[];
  SpaceReclaimed: number;
}

/** Dangling images (no tag) nothing uses; with `all`, every image no container uses. */
export async function pruneImages(
  store: ImageStore,
  opts: { all?: boolean; inUse: InUse; matches?: (imageId: string, tags: string[]) => boolean },
): Promise<PruneResult> {
  const out: DeleteItem[] = [];
  const layersOf: string[][] = [];
  let users: ReturnType<InUse> = new Map();
  const removed = await store.update((idx) => {
    users = opts.inUse();
    const gone: string[] = [];
    for (const [digest, r] of Object.entries(idx.images)) {
      const tags = tagsOf(idx, digest);
      // A recovered image may have lost its tags to a damaged index: only `-a` takes it.
      if (r.retained || users.has(r.id) || (!opts.all && (tags.length > 0 || r.recovered))) continue;
      if (opts.matches && !opts.matches(r.id, tags.map(familiar))) continue;
      for (const t of tags) {
        delete idx.tags[t];
        out.push({ Untagged: familiar(t) });
      }
      delete idx.images[digest];
      out.push({ Deleted: r.id });
      gone.push(digest);
      layersOf.push(store.readConfig(r.id).rootfs.diff_ids);
    }
    return gone;
  });
  const inUse = new Set(users.keys());
  const { reclaimed, layers } = await collect(store, { removed, inUse });
  await reclaim(store, { inUse });
  return { ImagesDeleted: [...out, ...layerLines(layersOf, layers)], SpaceReclaimed: reclaimed };
}

/** `docker tag SOURCE TARGET`: TARGET names the same manifest from now on. */
export async function tagImage(store: ImageStore, source: string, target: string): Promise<void> {
  const img = store.resolve(source);
  if (parseReference(target).digest !== undefined)
    throw new ConflictError('refusing to create a tag with a digest reference');
  await store.tag(target, img.manifestDigest);
}
