/**
 * `docker pull`: resolve the reference to one image manifest (choosing the platform from an
 * index), download the layers it lacks three at a time with Docker's progress messages, then
 * hand manifest, config and layers to the store, which unpacks and verifies them. Config and
 * manifest are written only after every layer arrived, and the store leaves nothing on failure,
 * so an interrupted or corrupted pull leaves no image, tag or partial blob.
 */
import type { ProgressHandler } from '../../../engine-api/registry/api';
import {
  familiarName,
  formatReference,
  parseReference,
  type ImageReference,
} from '../../../common/image-reference';
import type { ImageStore, ResolvedImage } from '../store';
import { NO_BASIC_AUTH, RegistryClient, type RegistryAccess } from './client';
import { RegistryError } from './errors';
import { readBytes } from './http';
import { resolveImageManifest, type ResolvedManifest } from './resolve';
import { ByteProgress, eachLimited, shortId } from './progress';
import { downloadBlob } from './remote-blobs';
import { recordSource } from './sources';
import type { Descriptor } from './manifests';
import { sha256 } from './manifests';
import { checkConfigShape, InvalidImageError, parseJsonObject } from '../validate';

export interface PullOptions extends RegistryAccess {
  /** `os/arch[/variant]`; the engine's own platform by default. */
  platform?: string;
}

export interface PullResult {
  image: ResolvedImage;
  /** What the reference resolved to at the registry: the index's digest for a multi-platform image. */
  digest: string;
  upToDate: boolean;
}

const PARALLEL_DOWNLOADS = 3;
const MAX_CONFIG = 16 * 1024 * 1024;

export async function pullImage(
  store: ImageStore,
  ref: string,
  opts: PullOptions = {},
  emit: ProgressHandler = () => undefined,
): Promise<PullResult> {
  const r = parseReference(ref);
  const ac = new AbortController();
  const onAbort = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const client = new RegistryClient(r.domain, {
    auth: opts.auth,
    config: opts.config,
    scopes: [`repository:${r.path}:pull`],
    tokens: opts.tokens,
    signal: ac.signal,
  });
  try {
    const resolved = await withContext(
      r,
      () => resolveImageManifest(client, r, opts.platform),
      () => client.url(`/v2/${r.path}/manifests/${r.digest ?? r.tag ?? 'latest'}`).href,
    );
    emit({ status: `Pulling from ${r.path}`, id: r.tag ?? r.digest });
    const tag = r.tag ? formatReference({ ...r, digest: undefined }) : undefined;
    const upToDate = isUpToDate(store, resolved, tag);
    const image = upToDate
      ? store.resolveManifest(resolved.digest)
      : await fetchImage(store, client, r, resolved, tag, emit, ac);
    recordSource(
      store.root,
      [resolved.manifest.config.digest, ...resolved.manifest.layers.map((l) => l.digest)],
      {
        domain: r.domain,
        repository: r.path,
      },
    );
    emit({ status: `Digest: ${resolved.topDigest}` });
    const name = familiarName(r);
    emit({
      status: upToDate
        ? `Status: Image is up to date for ${name}`
        : `Status: Downloaded newer image for ${name}`,
    });
    return { image, digest: resolved.topDigest, upToDate };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function isUpToDate(store: ImageStore, resolved: ResolvedManifest, tag: string | undefined): boolean {
  if (!store.images()[resolved.digest]) return false;
  return tag === undefined || store.tags()[tag] === resolved.digest;
}

async function fetchImage(
  store: ImageStore,
  client: RegistryClient,
  r: ImageReference,
  resolved: ResolvedManifest,
  tag: string | undefined,
  emit: ProgressHandler,
  ac: AbortController,
): Promise<ResolvedImage> {
  const { manifest } = resolved;
  const missing: Descriptor[] = [];
  for (const layer of manifest.layers) {
    const id = shortId(layer.digest);
    if (store.blobs.has(layer.digest) || missing.some((m) => m.digest === layer.digest)) {
      if (!missing.some((m) => m.digest === layer.digest)) emit({ status: 'Already exists', id });
      continue;
    }
    missing.push(layer);
    emit({ status: 'Pulling fs layer', id });
  }
  for (const layer of missing.slice(PARALLEL_DOWNLOADS))
    emit({ status: 'Waiting', id: shortId(layer.digest) });
  const config = await fetchConfig(client, r, manifest.config);
  checkLayerCount(manifest, config);
  await eachLimited(missing, PARALLEL_DOWNLOADS, async (layer) => {
    const id = shortId(layer.digest);
    const progress = new ByteProgress('Downloading', id, layer.size, emit);
    try {
      await downloadBlob(client, r.path, layer, store.blobs, progress);
    } catch (err) {
      // The other downloads stop too, and their partial files go with them.
      ac.abort();
      throw layerError(r, layer, err);
    }
    emit({ status: 'Verifying Checksum', id });
    emit({ status: 'Download complete', id });
  });
  store.blobs.put(config, manifest.config.digest);
  store.blobs.put(resolved.bytes, resolved.digest);
  for (const layer of missing) emit({ status: 'Extracting', id: shortId(layer.digest) });
  const image = await store.addImage({
    manifestDigest: resolved.digest,
    tag,
    repoDigest: `${r.domain}/${r.path}@${resolved.digest}`,
  });
  for (const layer of missing) emit({ status: 'Pull complete', id: shortId(layer.digest) });
  return image;
}

async function fetchConfig(client: RegistryClient, r: ImageReference, desc: Descriptor): Promise<Buffer> {
  const res = await client.request('GET', `/v2/${r.path}/blobs/${desc.digest}`, { expect: [200] });
  const bytes = await readBytes(res, MAX_CONFIG);
  if (sha256(bytes) !== desc.digest)
    throw new RegistryError(
      500,
      `image config ${desc.digest} from ${r.domain}/${r.path} failed verification: got ${sha256(bytes)}`,
      {
        code: 'DIGEST_MISMATCH',
      },
    );
  const what = `invalid image config ${desc.digest}`;
  checkConfigShape(parseJsonObject(bytes, what), what);
  return bytes;
}

/** Before any layer is downloaded: each layer needs its diff id. */
function checkLayerCount(manifest: { config: Descriptor; layers: Descriptor[] }, config: Buffer): void {
  const diffIds = (JSON.parse(config.toString('utf8')) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length)
    throw new InvalidImageError(
      `invalid image config ${manifest.config.digest}: rootfs.diff_ids: ${diffIds.length} diff ids for ${manifest.layers.length} layers`,
    );
}

function layerError(r: ImageReference, layer: Descriptor, err: unknown): unknown {
  if ((err as Error)?.name === 'AbortError') return err;
  const why = (err as Error)?.message ?? String(err);
  return new RegistryError(
    (err as { status?: number }).status === 404 ? 404 : 500,
    `failed to pull layer ${layer.digest} of ${r.domain}/${r.path}: ${why}`,
    {
      code: (err as { code?: string }).code ?? 'PULL_LAYER',
      cause: err,
    },
  );
}

/**
 * Docker's words and statuses for a reference the registry refuses or does not know
 * (moby's translatePullError): a Basic registry asked without credentials is dockerd's
 * `Head "<manifest url>": no basic auth credentials`, another 401 its plain message, both a
 * 500 (never a 401: the docker CLI would answer that with an interactive login prompt); a
 * denial is "pull access denied" and an unknown manifest "manifest ... not found", both 404.
 */
async function withContext<T>(
  r: ImageReference,
  fn: () => Promise<T>,
  manifestUrl: () => string,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = (err as { status?: number }).status;
    const code = (err as { code?: string }).code;
    const message = (err as Error).message;
    if (code === NO_BASIC_AUTH)
      throw new RegistryError(500, `Head ${JSON.stringify(manifestUrl())}: ${message}`, { cause: err, code });
    if (status === 401) throw new RegistryError(500, message, { cause: err, code: 'REGISTRY_401' });
    if (status === 403)
      throw new RegistryError(
        404,
        `pull access denied for ${familiarName({ ...r, tag: undefined, digest: undefined })}, repository does not exist or may require 'docker login': ${message}`,
        { cause: err },
      );
    if (status === 404 && code !== 'NO_MATCHING_MANIFEST')
      throw new RegistryError(404, `manifest for ${familiarName(r)} not found: ${message}`, { cause: err });
    throw err;
  }
}
