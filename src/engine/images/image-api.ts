/**
 * The image half of the EngineApi over the store: listing, inspect, rm/prune/tag with docker's
 * rules and messages, save and load. The engine passes what only it knows, which containers
 * use which image. The store's errors carry their kinds (an unknown image is not-found, a
 * malformed archive an invalid argument), so they pass as they are.
 */
import type { Readable } from 'node:stream';
import type { ImageApi, ImageSummary } from '../../engine-api/image/api';
import { loadArchive } from './archive/load';
import { legacyInspectFields } from './legacy-inspect';
import { saveArchive } from './archive/save';
import { pruneImages, removeImage, tagImage, type InUse } from './gc';
import { familiarName, parseReference } from '../../common/image-reference';
import type { ImageStore } from './store';

/** Docker's API answers with familiar names (`busybox:latest`). */
function repoTags(store: ImageStore, manifestDigest: string): string[] {
  return Object.entries(store.tags())
    .filter(([, d]) => d === manifestDigest)
    .map(([t]) => familiarName(parseReference(t)))
    .sort();
}

/** As docker shows them: `busybox@sha256:…` for Docker Hub's library, the full name otherwise. */
function repoDigests(store: ImageStore, manifestDigest: string): string[] {
  const rec = store.images()[manifestDigest];
  return (rec?.repoDigests ?? []).map((d) => familiarName(parseReference(d)));
}

export function imageApi(store: ImageStore, inUse: InUse): ImageApi {
  const summary = (manifestDigest: string): ImageSummary => {
    const img = store.resolveManifest(manifestDigest);
    return {
      Id: img.id,
      RepoTags: repoTags(store, manifestDigest),
      RepoDigests: repoDigests(store, manifestDigest),
      Created: Math.floor(Date.parse(img.config.created) / 1000) || 0,
      Size: store.size(img),
      Labels: img.config.config.Labels ?? {},
    };
  };
  return {
    importImage: async (tar, o = {}) => {
      const tag = o.repo ? (o.tag ? `${o.repo}:${o.tag}` : o.repo) : undefined;
      const img = await store.importRootfs(tar, { tag, changes: o.changes });
      return { Id: img.id };
    },
    listImages: async () => Object.keys(store.images()).map(summary),
    inspectImage: async (ref) => {
      const img = store.resolve(ref);
      const c = img.config;
      return {
        Id: img.id,
        RepoTags: repoTags(store, img.manifestDigest),
        RepoDigests: repoDigests(store, img.manifestDigest),
        Created: c.created,
        Author: c.author ?? '',
        Architecture: c.architecture,
        ...(c.variant ? { Variant: c.variant } : {}),
        Os: c.os,
        Size: store.size(img),
        Config: c.config,
        RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
        ...legacyInspectFields(c),
        Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
      };
    },
    removeImage: (ref, o = {}) => removeImage(store, ref, { force: o.force, inUse }),
    tagImage: (source, repo, tag) => tagImage(store, source, tag ? `${repo}:${tag}` : repo),
    pruneImages: (o = {}) => pruneImages(store, { all: o.all, inUse }),
    saveImages: (refs: string[]): Readable => saveArchive(store, refs),
    loadImages: (tar) => loadArchive(store, tar),
  };
}
