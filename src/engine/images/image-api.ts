/**
 * The image half of the EngineApi over the store: listing, inspect, rm/prune/tag with docker's
 * rules and messages, save and load. The engine passes what only it knows, which containers
 * use which image; store errors become the API's typed ones (404 for an unknown image).
 */
import type { Readable } from 'node:stream';
import type { EngineApi } from '../../engine-api/engine-api';
import type { ImageSummary } from '../../engine-api/image/api';
import { BadRequestError, EngineError, NotFoundError } from '../../engine-api/errors';
import { loadArchive } from './archive/load';
import { saveArchive } from './archive/save';
import { pruneImages, removeImage, tagImage, type InUse } from './gc';
import { familiarName, parseReference } from '../../common/image-reference';
import { ImageNotFoundError, type ImageStore } from './store';

export type ImageApi = Pick<
  EngineApi,
  | 'importImage'
  | 'listImages'
  | 'inspectImage'
  | 'removeImage'
  | 'tagImage'
  | 'pruneImages'
  | 'saveImages'
  | 'loadImages'
>;

/** Docker's API answers with familiar names (`busybox:latest`). */
function repoTags(store: ImageStore, manifestDigest: string): string[] {
  return Object.entries(store.tags())
    .filter(([, d]) => d === manifestDigest)
    .map(([t]) => familiarName(parseReference(t)))
    .sort();
}

function apiErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translate(err);
  }
}

/**
 * What the client sent is at fault, so a 400: a bad reference, and for load and import an
 * archive or layer that is malformed, lies about its digests or expands like a bomb.
 */
const BAD_INPUT = new Set([
  'INVALID_REFERENCE',
  'BAD_ARCHIVE',
  'INVALID_IMAGE',
  'INVALID_DIGEST',
  'BAD_MANIFEST',
  'EXPANSION_LIMIT',
  'BAD_COMPRESSION',
  'DIFF_ID_MISMATCH',
  'DIGEST_MISMATCH',
  'SIZE_MISMATCH',
]);

function translate(err: unknown): unknown {
  if (err instanceof ImageNotFoundError) return new NotFoundError(err.message);
  if (err instanceof EngineError) return err;
  const code = (err as { code?: string }).code;
  if (code !== undefined && BAD_INPUT.has(code)) return new BadRequestError((err as Error).message);
  return err;
}

async function apiErrorsAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translate(err);
  }
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
    importImage: (tar, o = {}) =>
      apiErrorsAsync(async () => {
        const tag = o.repo ? (o.tag ? `${o.repo}:${o.tag}` : o.repo) : undefined;
        const img = await store.importRootfs(tar, { tag, changes: o.changes });
        return { Id: img.id };
      }),
    listImages: async () => Object.keys(store.images()).map(summary),
    inspectImage: async (ref) =>
      apiErrors(() => {
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
          Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
        };
      }),
    removeImage: (ref, o = {}) => apiErrorsAsync(() => removeImage(store, ref, { force: o.force, inUse })),
    tagImage: (source, repo, tag) =>
      apiErrorsAsync(() => tagImage(store, source, tag ? `${repo}:${tag}` : repo)),
    pruneImages: (o = {}) => apiErrorsAsync(() => pruneImages(store, { all: o.all, inUse })),
    saveImages: (refs: string[]): Readable => apiErrors(() => saveArchive(store, refs)),
    loadImages: (tar) => apiErrorsAsync(() => loadArchive(store, tar)),
  };
}
