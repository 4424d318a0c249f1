/**
 * `image save`: the named images as one tar that both `docker load` (manifest.json) and any
 * OCI tool (index.json) read. Every blob is written as stored — the original manifest, config
 * and compressed layers — so every digest survives; file times are the epoch, as docker's.
 */
import fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { TscomposeError } from '../../../common/errors';
import { familiarName, parseReference } from '../../../common/image-reference';
import type { ImageStore } from '../store';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  DOCKER_MANIFEST_FILE,
  OCI_INDEX_FILE,
  OCI_LAYOUT,
  OCI_LAYOUT_FILE,
  REPOSITORIES_FILE,
  blobPath,
  type ManifestItem,
  type OciIndex,
} from './layout';

const EPOCH = new Date(0);

interface Selected {
  manifestDigest: string;
  /** Normalized references, as in the store's tags. */
  tags: string[];
}

/** `busybox` (no tag) means every tag of the repository, as docker's save does. */
function nameOnly(ref: string): boolean {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return !last.includes(':') && !last.includes('@');
}

/** `docker.io/library/busybox` for `busybox`; undefined when it is no repository name (an ID prefix may still be). */
function repositoryOf(ref: string): string | undefined {
  try {
    const { domain, path } = parseReference(ref);
    return `${domain}/${path}`;
  } catch {
    return undefined;
  }
}

/** Which manifests and tags the references name; throws before anything is written. */
export function selectImages(store: ImageStore, refs: string[]): Selected[] {
  const chosen = new Map<string, Set<string>>();
  const add = (digest: string, tag?: string) => {
    const tags = chosen.get(digest) ?? new Set<string>();
    if (tag) tags.add(tag);
    chosen.set(digest, tags);
  };
  const tags = store.tags();
  for (const ref of refs) {
    const repo = nameOnly(ref) ? repositoryOf(ref) : undefined;
    const ofRepo = repo ? Object.entries(tags).filter(([t]) => t.startsWith(`${repo}:`)) : [];
    for (const [t, digest] of ofRepo) add(digest, t);
    if (ofRepo.length > 0) continue;
    const hit = store.lookup(ref);
    add(hit.manifestDigest, hit.key);
  }
  return [...chosen].map(([manifestDigest, t]) => ({ manifestDigest, tags: [...t].sort() }));
}

/** The archive as a stream; errors after the first bytes end it with an error. */
export function saveArchive(store: ImageStore, refs: string[]): Readable {
  const selected = selectImages(store, refs);
  const out = new PassThrough();
  const pack = tar.pack();
  pipeline(pack, out).catch((err: unknown) => out.destroy(err as Error));
  writeEntries(store, selected, pack).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return out;
}

async function writeEntries(store: ImageStore, selected: Selected[], pack: tar.Pack): Promise<void> {
  await entry(pack, { name: 'blobs/', type: 'directory', mode: 0o755 });
  await entry(pack, { name: 'blobs/sha256/', type: 'directory', mode: 0o755 });
  const written = new Set<string>();
  const index: OciIndex = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [],
  };
  const items: ManifestItem[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const { manifestDigest, tags } of selected) {
    const manifest = store.readManifest(manifestDigest);
    for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest), manifestDigest]) {
      if (written.has(d)) continue;
      written.add(d);
      await blobEntry(store, pack, d);
    }
    const descriptor = {
      mediaType: manifest.mediaType,
      digest: manifestDigest,
      size: store.blobs.size(manifestDigest),
    };
    const familiar = tags.map((t) => familiarName(parseReference(t)));
    if (tags.length === 0) index.manifests.push(descriptor);
    for (const t of tags) {
      const tag = parseReference(t).tag ?? 'latest';
      index.manifests.push({
        ...descriptor,
        annotations: { [ANNOTATION_IMAGE_NAME]: t, [ANNOTATION_REF_NAME]: tag },
      });
      const repo = familiarName({ ...parseReference(t), tag: undefined });
      const top = manifest.layers[manifest.layers.length - 1];
      if (top) (repositories[repo] ??= {})[tag] = top.digest.replace(/^sha256:/, '');
    }
    items.push({
      Config: blobPath(manifest.config.digest),
      RepoTags: familiar,
      Layers: manifest.layers.map((l) => blobPath(l.digest)),
    });
  }
  await jsonEntry(pack, OCI_INDEX_FILE, index);
  await jsonEntry(pack, DOCKER_MANIFEST_FILE, items);
  await jsonEntry(pack, OCI_LAYOUT_FILE, OCI_LAYOUT);
  if (Object.keys(repositories).length) await jsonEntry(pack, REPOSITORIES_FILE, repositories);
}

async function blobEntry(store: ImageStore, pack: tar.Pack, digest: string): Promise<void> {
  const file = store.blobs.path(digest);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new TscomposeError(`blob ${digest} is missing from the image store`, { code: 'BLOB_UNKNOWN' });
  }
  await new Promise<void>((resolve, reject) => {
    const sink = pack.entry({ name: blobPath(digest), size, mode: 0o644, mtime: EPOCH }, (err) =>
      err ? reject(err) : resolve(),
    );
    pipeline(fs.createReadStream(file), sink).catch(reject);
  });
}

function entry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    pack.entry({ mtime: EPOCH, ...header }, body ?? Buffer.alloc(0), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

function jsonEntry(pack: tar.Pack, name: string, value: unknown): Promise<void> {
  return entry(pack, { name, mode: 0o644 }, Buffer.from(JSON.stringify(value) + '\n'));
}
