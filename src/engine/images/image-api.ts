/**
 * The image half of the EngineApi over the store: listing, inspect, history, rm/prune/tag with
 * docker's rules and messages, save and load. The engine passes what only it knows, which
 * containers use which image. The store's errors carry their kinds (an unknown image is
 * not-found, a malformed archive an invalid argument), so they pass as they are.
 */
import type { Readable } from 'node:stream';
import type { ImageApi, ImageSummary } from '../../engine-api/image/api';
import { loadArchive } from './archive/load';
import { saveArchive } from './archive/save';
import { pruneImages, removeImage, tagImage, type InUse } from './gc';
import { imageHistory } from './history';
import { imageListFilter, imagePruneFilter, referenceMatches } from './image-filters';
import { inspectShape } from './inspect-shape';
import { familiarName, parseReference } from '../../common/image-reference';
import type { ImageStore, ResolvedImage } from './store';

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

const createdSeconds = (img: ResolvedImage): number => Math.floor(Date.parse(img.config.created) / 1000) || 0;

export function imageApi(store: ImageStore, inUse: InUse): ImageApi {
  const summary = (manifestDigest: string): ImageSummary => {
    const img = store.resolveManifest(manifestDigest);
    const size = store.size(img);
    return {
      Containers: -1,
      Created: createdSeconds(img),
      Id: img.id,
      Labels: img.config.config.Labels ?? {},
      ParentId: '',
      RepoDigests: repoDigests(store, manifestDigest),
      RepoTags: repoTags(store, manifestDigest),
      SharedSize: -1,
      Size: size,
      VirtualSize: size,
    };
  };
  return {
    importImage: async (tar, o = {}) => {
      const tag = o.repo ? (o.tag ? `${o.repo}:${o.tag}` : o.repo) : undefined;
      const img = await store.importRootfs(tar, { tag, changes: o.changes, message: o.message });
      return { Id: img.id };
    },
    listImages: async (o = {}) => {
      const keep = imageListFilter(o.filters, (ref) => createdSeconds(store.resolve(ref)));
      const patterns = o.filters?.reference ?? [];
      return (
        Object.keys(store.images())
          .map(summary)
          .filter((s) => keep({ created: s.Created, labels: s.Labels, tags: s.RepoTags }))
          // dockerd lists only the names that matched the reference filter.
          .map((s) =>
            patterns.length
              ? {
                  ...s,
                  RepoTags: s.RepoTags.filter((t) => referenceMatches(t, patterns)),
                  RepoDigests: s.RepoDigests.filter((d) => referenceMatches(d, patterns)),
                }
              : s,
          )
      );
    },
    inspectImage: async (ref) => {
      const img = store.resolve(ref);
      return inspectShape(img, {
        repoTags: repoTags(store, img.manifestDigest),
        repoDigests: repoDigests(store, img.manifestDigest),
        size: store.size(img),
      });
    },
    imageHistory: async (ref) => {
      const img = store.resolve(ref);
      return imageHistory(store, img, repoTags(store, img.manifestDigest));
    },
    removeImage: (ref, o = {}) => removeImage(store, ref, { force: o.force, inUse }),
    tagImage: (source, repo, tag) => tagImage(store, source, tag ? `${repo}:${tag}` : repo),
    pruneImages: (o = {}) => {
      const f = imagePruneFilter(o.filters);
      const matches = (id: string, tags: string[]): boolean => {
        const c = store.readConfig(id);
        const created = Math.floor(Date.parse(c.created) / 1000) || 0;
        return f.matches({ created, labels: c.config.Labels ?? {}, tags });
      };
      return pruneImages(store, { all: o.all || f.all, inUse, matches });
    },
    saveImages: (refs: string[]): Readable => saveArchive(store, refs),
    loadImages: (tar) => loadArchive(store, tar),
  };
}
