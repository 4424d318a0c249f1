/**
 * The two archive formats `image save` writes as one tar and `image load` reads: the OCI image
 * layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) and docker's `manifest.json` beside it
 * (Config, RepoTags, Layers as paths into the tar), as docker 25+ writes them.
 */
import type { Descriptor } from '../store';

export const OCI_LAYOUT_FILE = 'oci-layout';
export const OCI_INDEX_FILE = 'index.json';
export const DOCKER_MANIFEST_FILE = 'manifest.json';
export const REPOSITORIES_FILE = 'repositories';
export const OCI_LAYOUT = { imageLayoutVersion: '1.0.0' };

/** A full reference, or per the OCI spec possibly only a tag. */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
/** The full reference, as containerd and docker write it. */
export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';

/** One entry of docker's manifest.json. */
export interface ManifestItem {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

export interface OciIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: (Descriptor & { platform?: { architecture?: string; os?: string; variant?: string } })[];
}

/** `blobs/sha256/<hex>`: where a blob lives in the layout. */
export function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}
