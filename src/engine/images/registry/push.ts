/**
 * `docker push`: every blob of the image goes up unless the registry has it (HEAD) or can mount
 * it from another repository of the same registry that it was pulled from or pushed to, then
 * the manifest is PUT with its own media type and bytes, so every digest stays what it was.
 */
import type { ProgressHandler } from '../../../engine-api/registry/api';
import { TscomposeError } from '../../../common/errors';
import { familiarName, parseReference, type ImageReference } from '../../../common/image-reference';
import { ImageNotFoundError, type ImageStore } from '../store';
import { NO_BASIC_AUTH, RegistryClient, type RegistryAccess } from './client';
import { RegistryError } from './errors';
import { IMAGE_MANIFEST_TYPES, parseImageManifest, putManifest, type Descriptor } from './manifests';
import { ByteProgress, eachLimited, shortId } from './progress';
import { blobExists, mountBlob, uploadBlob } from './remote-blobs';
import { recordSource, sourcesOf } from './sources';

export interface PushOptions extends RegistryAccess {
  /** Blobs larger than this go up in PATCH chunks of this size (default 64 MiB). */
  chunkSize?: number;
}

export interface PushResult {
  tag: string;
  digest: string;
  size: number;
}

const PARALLEL_UPLOADS = 3;
const DEFAULT_CHUNK = 64 * 1024 * 1024;
/** Layers that may not be pushed anywhere but where they came from (Windows base layers). */
const FOREIGN = /foreign|nondistributable/;

export async function pushImage(
  store: ImageStore,
  ref: string,
  opts: PushOptions = {},
  emit: ProgressHandler = () => undefined,
): Promise<PushResult> {
  const r = parseReference(ref);
  if (r.digest)
    throw new TscomposeError(`cannot push a digest reference: ${ref}`, { code: 'PUSH_DIGEST', exitCode: 1 });
  const tag = r.tag ?? 'latest';
  const manifestDigest = localManifest(store, ref);
  const bytes = store.blobs.read(manifestDigest);
  const manifest = parseImageManifest(bytes);
  const mediaType = manifest.mediaType ?? IMAGE_MANIFEST_TYPES[0];
  const blobs = [...manifest.layers.filter((l) => !FOREIGN.test(l.mediaType)), manifest.config];
  const mounts = new Map(blobs.map((b) => [b.digest, mountSource(store, r, b.digest)]));
  const from = [...new Set([...mounts.values()].filter((m): m is string => !!m))];
  const client = new RegistryClient(r.domain, {
    auth: opts.auth,
    config: opts.config,
    scopes: [`repository:${r.path}:pull,push`, ...from.map((f) => `repository:${f}:pull`)],
    tokens: opts.tokens,
    signal: opts.signal,
  });
  emit({ status: `The push refers to repository [${r.domain}/${r.path}]` });
  await withContext(r, () => client.ping());
  const layers = blobs.slice(0, -1).reverse(); // docker lists the top layer first
  for (const l of layers) emit({ status: 'Preparing', id: shortId(l.digest) });
  for (const l of layers.slice(PARALLEL_UPLOADS)) emit({ status: 'Waiting', id: shortId(l.digest) });
  const push = (desc: Descriptor, shown: boolean) =>
    pushBlob(store, client, r, desc, mounts.get(desc.digest), shown ? emit : () => undefined, opts);
  await withContext(r, async () => {
    await eachLimited(layers, PARALLEL_UPLOADS, (l) => push(l, true));
    await push(manifest.config, false);
    await putManifest(client, r.path, tag, bytes, mediaType);
  });
  recordSource(
    store.root,
    blobs.map((b) => b.digest),
    { domain: r.domain, repository: r.path },
  );
  await store.addRepoDigest(manifestDigest, `${r.domain}/${r.path}@${manifestDigest}`);
  emit({ status: `${tag}: digest: ${manifestDigest} size: ${bytes.length}` });
  emit({ progressDetail: {}, aux: { Tag: tag, Digest: manifestDigest, Size: bytes.length } });
  return { tag, digest: manifestDigest, size: bytes.length };
}

async function pushBlob(
  store: ImageStore,
  client: RegistryClient,
  r: ImageReference,
  desc: Descriptor,
  mountFrom: string | undefined,
  emit: ProgressHandler,
  opts: PushOptions,
): Promise<void> {
  const id = shortId(desc.digest);
  if (await blobExists(client, r.path, desc.digest)) return emit({ status: 'Layer already exists', id });
  let session: URL | undefined;
  if (mountFrom) {
    const mounted = await mountBlob(client, r.path, desc.digest, mountFrom);
    if (mounted === true) return emit({ status: `Mounted from ${mountFrom}`, id });
    session = mounted;
  }
  if (!store.blobs.has(desc.digest))
    throw new TscomposeError(`blob ${desc.digest} of ${familiarName(r)} is not in the local store`, {
      code: 'BLOB_MISSING',
    });
  await uploadBlob(client, r.path, desc, store.blobs.path(desc.digest), {
    chunkSize: opts.chunkSize ?? DEFAULT_CHUNK,
    session,
    progress: new ByteProgress('Pushing', id, desc.size, emit),
  });
  emit({ status: 'Pushed', id });
}

function localManifest(store: ImageStore, ref: string): string {
  try {
    return store.resolve(ref).manifestDigest;
  } catch (err) {
    if (err instanceof ImageNotFoundError)
      throw new RegistryError(
        404,
        `An image does not exist locally with the tag: ${familiarName({ ...parseReference(ref) })}`,
      );
    throw err;
  }
}

/** A sibling repository of the same registry that has the blob, known from an earlier pull or push. */
function mountSource(store: ImageStore, r: ImageReference, digest: string): string | undefined {
  return sourcesOf(store.root, digest).find((s) => s.domain === r.domain && s.repository !== r.path)
    ?.repository;
}

async function withContext<T>(r: ImageReference, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = (err as { status?: number }).status;
    // dockerd's push says just this when a Basic registry was given no credentials.
    if ((err as { code?: string }).code === NO_BASIC_AUTH) throw err;
    if (status === 401 || status === 403)
      throw new RegistryError(
        status,
        `push access denied for ${r.domain}/${r.path}: ${(err as Error).message}`,
        { cause: err },
      );
    throw err;
  }
}
