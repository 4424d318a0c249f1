/**
 * `image load`: an OCI image layout tar (index.json; its manifests are kept as they are, so
 * their digests survive) or a docker archive (manifest.json: docker 25+'s, podman's, or older
 * docker's `<id>/layer.tar` ones, for which a manifest is written). Prints what docker prints.
 */
import type { Readable } from 'node:stream';
import { TscomposeError } from '../../../common/errors';
import { discardBlobs } from '../gc-collect';
import { INDEX_TYPES, MEDIA, sniffCompression } from '../media';
import { familiarName, formatReference, parseReference } from '../../../common/image-reference';
import type { Descriptor, ImageStore, Manifest } from '../store';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  DOCKER_MANIFEST_FILE,
  OCI_INDEX_FILE,
  type ManifestItem,
  type OciIndex,
} from './layout';
import { readArchive, normalizeName, type ArchiveFile } from './read-tar';
import { checkIndexShape, InvalidImageError, parseJsonObject } from '../validate';

interface Found {
  manifestDigest: string;
  /** References as written in the archive (any form parseReference takes). */
  tags: string[];
}

const bad = (why: string) =>
  new TscomposeError(`invalid archive: ${why}`, { code: 'BAD_ARCHIVE', kind: 'invalid-argument' });

export async function loadArchive(store: ImageStore, input: Readable): Promise<string[]> {
  const added = new Set<string>();
  try {
    const { files } = await readArchive(input, store.blobs, { ...store.limits, added });
    const found = findImages(store, files, added);
    if (!found) throw bad(`neither ${OCI_INDEX_FILE} nor ${DOCKER_MANIFEST_FILE} found`);
    const out: string[] = [];
    for (const { manifestDigest, tags } of found) {
      const img = await store.addImage({ manifestDigest });
      for (const t of tags) {
        const key = formatReference(parseReference(t));
        const name = familiarName(parseReference(key));
        const prev = store.tags()[key];
        if (prev && prev !== manifestDigest) {
          const prevId = store.readManifest(prev).config.digest;
          out.push(
            `The image ${name} already exists, renaming the old one with ID ${prevId} to empty string`,
          );
        }
        await store.tag(key, manifestDigest);
        out.push(`Loaded image: ${name}`);
      }
      if (tags.length === 0) out.push(`Loaded image ID: ${img.id}`);
    }
    return out;
  } finally {
    await discardBlobs(store, added);
  }
}

/** index.json keeps manifest digests, so it wins; manifest.json serves when the index names blobs the tar lacks. */
function findImages(
  store: ImageStore,
  files: Map<string, ArchiveFile>,
  added: Set<string>,
): Found[] | undefined {
  const docker = files.has(DOCKER_MANIFEST_FILE);
  if (files.has(OCI_INDEX_FILE)) {
    try {
      return fromIndex(store, json<OciIndex>(files, OCI_INDEX_FILE));
    } catch (err) {
      if (!docker) throw err;
    }
  }
  return docker ? fromDockerManifest(store, files, added) : undefined;
}

function json<T>(files: Map<string, ArchiveFile>, name: string): T {
  const data = files.get(name)?.data;
  if (!data) throw bad(`${name} is missing or too big`);
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (err) {
    throw bad(`${name}: ${(err as Error).message}`);
  }
}

/** Docker and containerd name the image in their own annotation; the OCI one may be only a tag. */
function nameOf(d: Descriptor): string | undefined {
  const full = d.annotations?.[ANNOTATION_IMAGE_NAME];
  if (full) return full;
  const ref = d.annotations?.[ANNOTATION_REF_NAME];
  return ref && /[:/]/.test(ref) ? ref : undefined;
}

function fromIndex(store: ImageStore, index: OciIndex): Found[] {
  checkIndexShape(index, `invalid archive: ${OCI_INDEX_FILE}`);
  const byDigest = new Map<string, Set<string>>();
  for (const d of index.manifests) {
    const digest = imageManifest(store, d);
    const tags = byDigest.get(digest) ?? new Set<string>();
    const name = nameOf(d);
    if (name) tags.add(name);
    byDigest.set(digest, tags);
  }
  return [...byDigest].map(([manifestDigest, tags]) => ({ manifestDigest, tags: [...tags] }));
}

/** A nested index (a multi-platform image) stands for its linux/amd64 manifest, or the first one present. */
function imageManifest(store: ImageStore, d: Descriptor): string {
  if (!store.blobs.has(d.digest)) throw bad(`manifest ${d.digest} is not in the archive`);
  const what = `invalid archive: manifest ${d.digest}`;
  const body = parseJsonObject(store.blobs.read(d.digest), what) as Partial<OciIndex & Manifest>;
  const type = body.mediaType ?? d.mediaType;
  if (!INDEX_TYPES.includes(type) && !Array.isArray(body.manifests)) return d.digest;
  checkIndexShape(body, what);
  const present = (body.manifests ?? []).filter((m) => store.blobs.has(m.digest));
  const pick =
    present.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? present[0];
  if (!pick) throw bad(`no manifest of the index ${d.digest} is in the archive`);
  return imageManifest(store, pick);
}

/** docker's manifest.json: the config and layer files are named by path; the manifest is ours to write. */
function fromDockerManifest(store: ImageStore, files: Map<string, ArchiveFile>, added: Set<string>): Found[] {
  const put = (data: Buffer | string): string => {
    const digest = store.blobs.put(data);
    added.add(digest);
    return digest;
  };
  const items = json<ManifestItem[]>(files, DOCKER_MANIFEST_FILE);
  checkManifestItems(items);
  return items.map((item) => {
    const configFile = files.get(normalizeName(item.Config ?? ''));
    if (!configFile) throw bad(`config ${item.Config} is not in the archive`);
    const configDigest = configFile.digest ?? put(configFile.data ?? Buffer.alloc(0));
    const layers = (item.Layers ?? []).map((p): Descriptor => {
      const f = files.get(normalizeName(p));
      if (!f?.digest) throw bad(`layer ${p} is not in the archive`);
      const c = sniffCompression(store.blobs.path(f.digest));
      const mediaType =
        c === 'gzip' ? MEDIA.dockerLayerGzip : c === 'zstd' ? MEDIA.ociLayerZstd : MEDIA.dockerLayer;
      return { mediaType, digest: f.digest, size: f.size };
    });
    const oci = layers.some((l) => l.mediaType === MEDIA.ociLayerZstd);
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: oci ? MEDIA.ociManifest : MEDIA.dockerManifest,
      config: {
        mediaType: oci ? MEDIA.ociConfig : MEDIA.dockerConfig,
        digest: configDigest,
        size: store.blobs.size(configDigest),
      },
      layers: oci ? layers.map((l) => ({ ...l, mediaType: ociType(l.mediaType) })) : layers,
    };
    return { manifestDigest: put(JSON.stringify(manifest)), tags: item.RepoTags ?? [] };
  });
}

/** Each item's Config and Layers name files of the archive; RepoTags are references (checked when tagged). */
function checkManifestItems(items: unknown): asserts items is ManifestItem[] {
  const fail = (field: string, why: string) => {
    throw new InvalidImageError(`invalid archive: ${DOCKER_MANIFEST_FILE}: ${field}: ${why}`);
  };
  if (!Array.isArray(items)) throw bad(`${DOCKER_MANIFEST_FILE} is not a list`);
  items.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`[${i}]`, 'must be an object');
    const item = raw as Record<string, unknown>;
    if (typeof item.Config !== 'string') fail(`[${i}].Config`, 'must be a string');
    for (const key of ['Layers', 'RepoTags']) {
      const v = item[key];
      if (v === undefined || (v === null && key === 'RepoTags')) continue;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        fail(`[${i}].${key}`, 'must be a list of strings');
    }
  });
}

function ociType(dockerType: string): string {
  if (dockerType === MEDIA.dockerLayerGzip) return MEDIA.ociLayerGzip;
  if (dockerType === MEDIA.dockerLayer) return MEDIA.ociLayer;
  return dockerType;
}
