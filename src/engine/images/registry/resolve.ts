/**
 * A reference to the one image manifest a pull installs: the tag or digest's manifest, and
 * when that is an index (or a Docker manifest list), the entry for the wanted platform.
 */
import type { ImageReference } from '../../../common/image-reference';
import type { RegistryClient } from './client';
import { getManifest, INDEX_TYPES, parseImageManifest, parseIndex, type ImageManifest } from './manifests';
import { parsePlatform, selectManifest } from './platform';

export interface ResolvedManifest {
  /** The digest the reference names at the registry (the index's, for a multi-platform image). */
  topDigest: string;
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: ImageManifest;
}

export async function resolveImageManifest(
  client: RegistryClient,
  r: ImageReference,
  platform: string | undefined,
): Promise<ResolvedManifest> {
  const want = parsePlatform(platform);
  const top = await getManifest(client, r.path, r.digest ?? r.tag ?? 'latest');
  let chosen = top;
  if (INDEX_TYPES.includes(top.mediaType)) {
    const entry = selectManifest(parseIndex(top.bytes), want);
    chosen = await getManifest(client, r.path, entry.digest);
    if (INDEX_TYPES.includes(chosen.mediaType))
      throw new Error(`the index of ${r.path} names another index (${entry.digest}), not an image`);
  }
  return {
    topDigest: top.digest,
    digest: chosen.digest,
    mediaType: chosen.mediaType,
    bytes: chosen.bytes,
    manifest: parseImageManifest(chosen.bytes),
  };
}
