/**
 * Test images for the registry tests, made from the busybox-static layers
 * (test/helpers/busybox-image.ts) in the compression a case needs (gzip with zlib, zstd with
 * Debian's zstd CLI, or none): registered in an ImageStore through `addImage`, or written as an
 * OCI image layout (one image or a multi-platform index) for skopeo to copy.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ImageStore, ResolvedImage } from '../../src/engine/images/store';
import { busyboxLayers, BUSYBOX_PATH } from './busybox-image';

export type Compression = 'gzip' | 'zstd' | 'none';

export interface BlobFile {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export interface BuiltImage {
  manifest: BlobFile;
  config: BlobFile;
  layers: (BlobFile & { diffId: string })[];
}

export const sha256 = (b: Buffer): string => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

const OCI = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};
const DOCKER = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

function compress(tar: Buffer, c: Compression): Buffer {
  if (c === 'gzip') return zlib.gzipSync(tar);
  if (c === 'none') return tar;
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: tar, maxBuffer: 1 << 30 });
  if (r.status !== 0)
    throw new Error(`zstd failed (apt-get install zstd): ${r.stderr?.toString() || r.error?.message}`);
  return r.stdout;
}

const blob = (mediaType: string, bytes: Buffer): BlobFile => ({
  mediaType,
  digest: sha256(bytes),
  size: bytes.length,
  bytes,
});

/** Layer tars (paths or bytes, bottom first) as one image; `docker` makes a Docker schema2 manifest with gzip layers. */
export function buildImage(
  opts: {
    compression?: Compression;
    architecture?: string;
    variant?: string;
    layers?: (string | Buffer)[];
    docker?: boolean;
  } = {},
): BuiltImage {
  const c = opts.docker ? 'gzip' : (opts.compression ?? 'gzip');
  const layers = (opts.layers ?? busyboxLayers().layers).map((l) => {
    const tar = Buffer.isBuffer(l) ? l : fs.readFileSync(l);
    const type = opts.docker ? DOCKER.layer : c === 'none' ? OCI.layer : `${OCI.layer}+${c}`;
    return { ...blob(type, compress(tar, c)), diffId: sha256(tar) };
  });
  const created = '2024-01-01T00:00:00Z';
  const config = blob(
    opts.docker ? DOCKER.config : OCI.config,
    Buffer.from(
      JSON.stringify({
        architecture: opts.architecture ?? 'amd64',
        ...(opts.variant ? { variant: opts.variant } : {}),
        os: 'linux',
        created,
        config: { Cmd: ['sh'], Env: [`PATH=${BUSYBOX_PATH}`] },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map(() => ({ created, created_by: 'tscompose test layer' })),
      }),
    ),
  );
  const descriptor = ({ mediaType, digest, size }: BlobFile) => ({ mediaType, digest, size });
  const manifestType = opts.docker ? DOCKER.manifest : OCI.manifest;
  const manifest = blob(
    manifestType,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: manifestType,
        config: descriptor(config),
        layers: layers.map(descriptor),
      }),
    ),
  );
  return { manifest, config, layers };
}

/** Puts the image's blobs into the store and registers it, as a pull would. */
export async function storeImage(store: ImageStore, img: BuiltImage, tag?: string): Promise<ResolvedImage> {
  for (const b of [...img.layers, img.config, img.manifest]) store.blobs.put(b.bytes, b.digest);
  return store.addImage({ manifestDigest: img.manifest.digest, tag });
}

/**
 * An OCI image layout in `dir` whose index.json names one entry `latest`: the image itself, or,
 * for several images, an image index with each one's platform (what `skopeo copy --all` pushes).
 */
export function writeOciLayout(
  dir: string,
  images: (BuiltImage & { platform?: { architecture: string; variant?: string } })[],
): BlobFile {
  const put = (b: BlobFile) => {
    const file = path.join(dir, 'blobs', 'sha256', b.digest.slice(7));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, b.bytes);
  };
  for (const img of images) for (const b of [...img.layers, img.config, img.manifest]) put(b);
  let top = images[0].manifest;
  if (images.length > 1) {
    const manifests = images.map((img) => ({
      mediaType: img.manifest.mediaType,
      digest: img.manifest.digest,
      size: img.manifest.size,
      platform: {
        os: 'linux',
        architecture: img.platform?.architecture ?? 'amd64',
        ...(img.platform?.variant ? { variant: img.platform.variant } : {}),
      },
    }));
    top = blob(OCI.index, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI.index, manifests })));
    put(top);
  }
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: top.mediaType,
          digest: top.digest,
          size: top.size,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return top;
}

/** `skopeo copy` of an OCI layout to the test registry (plain HTTP). */
export function skopeoPush(layoutDir: string, dest: string): void {
  const r = spawnSync(
    'skopeo',
    ['copy', '--all', '--quiet', '--dest-tls-verify=false', `oci:${layoutDir}:latest`, `docker://${dest}`],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (r.status !== 0) throw new Error(`skopeo copy failed: ${r.stderr || r.error?.message}`);
}
