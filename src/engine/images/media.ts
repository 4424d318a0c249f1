/**
 * Media types of manifests, configs and layers (Docker schema2 and OCI), and the decompressor a
 * layer blob needs.
 */
import fs from 'node:fs';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { zstdDecompressStream } from './registry/zstd';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const MANIFEST_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];
export const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerManifestList];

export type Compression = 'none' | 'gzip' | 'zstd';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * The bytes decide, not the media type: tools disagree on layer types (docker's "uncompressed"
 * type on gzip blobs, foreign and nondistributable variants), the magic numbers never lie.
 */
export function sniffCompression(file: string): Compression {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  return compressionOfHead(head);
}

/** From the first (up to 4) bytes of a stream. */
export function compressionOfHead(head: Buffer): Compression {
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'gzip';
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

/** The media type our own uncompressed layers get in a manifest of `manifestType`. */
export function uncompressedLayerType(manifestType: string): string {
  return manifestType === MEDIA.dockerManifest ? MEDIA.dockerLayer : MEDIA.ociLayer;
}

export function decompressor(c: Compression): Transform | undefined {
  if (c === 'gzip') return zlib.createGunzip();
  if (c === 'zstd') return zstdDecompressStream();
  return undefined;
}
