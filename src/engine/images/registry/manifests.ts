/**
 * Manifests from and to a registry: GET with the Accept list of every type we read (Docker
 * schema2 manifest and list, OCI manifest and index), the bytes kept exactly as served so the
 * digest survives, and verified against the digest asked for or announced.
 */
import crypto from 'node:crypto';
import { MEDIA } from '../media';
import type { RegistryClient } from './client';
import { RegistryError } from './errors';
import { readBytes } from './http';
import type { IndexEntry } from './platform';
import { checkIndexShape, checkManifestShape, parseJsonObject } from '../validate';

export const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerManifestList];
export const IMAGE_MANIFEST_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];
const ACCEPT = [...IMAGE_MANIFEST_TYPES, ...INDEX_TYPES].join(', ');
/** containerd's limit: a manifest is metadata, never megabytes of it. */
const MAX_MANIFEST = 4 * 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export function sha256(bytes: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

export async function getManifest(
  client: RegistryClient,
  repo: string,
  reference: string,
): Promise<FetchedManifest> {
  const res = await client.request('GET', `/v2/${repo}/manifests/${reference}`, {
    headers: { accept: ACCEPT },
    expect: [200],
  });
  const bytes = await readBytes(res, MAX_MANIFEST);
  const digest = sha256(bytes);
  const announced = String(res.headers['docker-content-digest'] ?? '');
  const expected = reference.includes(':')
    ? reference
    : announced.startsWith('sha256:')
      ? announced
      : undefined;
  if (expected && expected !== digest)
    throw new RegistryError(500, `manifest verification failed for ${repo}@${expected}: got ${digest}`, {
      code: 'DIGEST_MISMATCH',
    });
  return { bytes, digest, mediaType: mediaTypeOf(bytes, String(res.headers['content-type'] ?? '')) };
}

/** The body's own mediaType wins over a registry's generic Content-Type. */
function mediaTypeOf(bytes: Buffer, contentType: string): string {
  let body: {
    mediaType?: string;
    schemaVersion?: number;
    manifests?: unknown;
    layers?: unknown;
    fsLayers?: unknown;
  };
  try {
    body = JSON.parse(bytes.toString('utf8')) as typeof body;
  } catch {
    throw new RegistryError(500, 'the registry answered a manifest that is not JSON');
  }
  const type = body.mediaType || contentType.split(';')[0].trim();
  if ([...INDEX_TYPES, ...IMAGE_MANIFEST_TYPES].includes(type)) return type;
  if (body.schemaVersion === 1 || body.fsLayers)
    throw new RegistryError(
      500,
      'Docker image manifest schema 1 is not supported: push the image again with a current tool',
    );
  if (Array.isArray(body.manifests)) return MEDIA.ociIndex;
  if (Array.isArray(body.layers)) return MEDIA.ociManifest;
  throw new RegistryError(500, `unsupported manifest media type ${JSON.stringify(type)}`);
}

/** What a registry serves is checked before any of its digests is used (validate.ts). */
export function parseIndex(bytes: Buffer): IndexEntry[] {
  const what = `invalid image index ${sha256(bytes)}`;
  const index = parseJsonObject(bytes, what);
  checkIndexShape(index, what);
  return index.manifests as IndexEntry[];
}

export function parseImageManifest(bytes: Buffer): ImageManifest {
  const what = `invalid image manifest ${sha256(bytes)}`;
  const m = parseJsonObject(bytes, what);
  checkManifestShape(m, what);
  return m as unknown as ImageManifest;
}

/** PUT under a tag (or digest); answers the digest the registry stored, which must be ours. */
export async function putManifest(
  client: RegistryClient,
  repo: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  const res = await client.request('PUT', `/v2/${repo}/manifests/${reference}`, {
    headers: { 'content-type': mediaType },
    body: bytes,
    expect: [201, 200, 202],
  });
  res.resume();
  const digest = sha256(bytes);
  const stored = String(res.headers['docker-content-digest'] ?? digest);
  if (stored !== digest)
    throw new RegistryError(500, `the registry stored the manifest as ${stored}, not ${digest}`, {
      code: 'DIGEST_MISMATCH',
    });
  return digest;
}
