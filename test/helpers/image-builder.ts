/**
 * Images written straight into a store's blobs the way a pull leaves them (manifest, config and
 * layer blobs in their original compression), for the tests of addImage, removal and archives.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { ImageStore } from '../../src/engine/images/store';
import { MEDIA } from '../../src/engine/images/media';

export type TarEntry = [Partial<tar.Header> & { name: string }, (string | Buffer)?];
export type Compression = 'none' | 'gzip' | 'zstd';

export const sha256 = (b: Buffer | string): string =>
  `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

/** A store in a temp dir removed after the test. */
export function tempStore(t: { after: (fn: () => void) => void }): ImageStore {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-store-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return new ImageStore(root);
}

const mtime = new Date('2024-01-02T03:04:05Z');

export async function tarBuffer(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  pack.on('data', (c: unknown) => void parts.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => pack.on('end', resolve).on('error', reject));
  for (const [header, body] of entries) pack.entry({ mtime, mode: 0o644, ...header }, body ?? '');
  pack.finalize();
  await ended;
  return Buffer.concat(parts);
}

export function zstdMissing(): string | false {
  return spawnSync('zstd', ['--version']).status === 0 ? false : 'the zstd command is not installed';
}

export function compress(data: Buffer, c: Compression): Buffer {
  if (c === 'gzip') return zlib.gzipSync(data);
  if (c === 'zstd') {
    const r = spawnSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr.toString()}`);
    return r.stdout;
  }
  return data;
}

const LAYER_TYPES: Record<'oci' | 'docker', Record<Compression, string>> = {
  oci: { none: MEDIA.ociLayer, gzip: MEDIA.ociLayerGzip, zstd: MEDIA.ociLayerZstd },
  docker: { none: MEDIA.dockerLayer, gzip: MEDIA.dockerLayerGzip, zstd: MEDIA.ociLayerZstd },
};

export interface BuiltImage {
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

/** Puts an image's blobs into `store.blobs` (not yet added): what a pull leaves for addImage. */
export async function putImageBlobs(
  store: ImageStore,
  layers: { entries: TarEntry[]; compression?: Compression }[],
  opts: { format?: 'oci' | 'docker'; cmd?: string[]; diffIds?: string[]; label?: string } = {},
): Promise<BuiltImage> {
  const format = opts.format ?? 'docker';
  const descriptors = [];
  const diffIds: string[] = [];
  for (const l of layers) {
    const plain = await tarBuffer(l.entries);
    const blob = compress(plain, l.compression ?? 'gzip');
    diffIds.push(sha256(plain));
    descriptors.push({
      mediaType: LAYER_TYPES[format][l.compression ?? 'gzip'],
      digest: store.blobs.put(blob),
      size: blob.length,
    });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-02T03:04:05Z',
      config: { Cmd: opts.cmd ?? ['sh'], Labels: opts.label ? { test: opts.label } : undefined },
      rootfs: { type: 'layers', diff_ids: opts.diffIds ?? diffIds },
      history: layers.map(() => ({ created: '2024-01-02T03:04:05Z', created_by: 'test' })),
    }),
  );
  const configDigest = store.blobs.put(config);
  const manifest = {
    schemaVersion: 2,
    mediaType: format === 'docker' ? MEDIA.dockerManifest : MEDIA.ociManifest,
    config: {
      mediaType: format === 'docker' ? MEDIA.dockerConfig : MEDIA.ociConfig,
      digest: configDigest,
      size: config.length,
    },
    layers: descriptors,
  };
  return {
    manifestDigest: store.blobs.put(JSON.stringify(manifest)),
    configDigest,
    layerDigests: descriptors.map((d) => d.digest),
    diffIds,
  };
}
