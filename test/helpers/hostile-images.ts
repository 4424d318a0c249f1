/**
 * Hostile images for the metadata and bomb tests: a temp layout with canaries exactly where a
 * path-like digest would land outside the store, docker and OCI archives of crafted parts, and
 * compression bombs (a tar of one file of zeros, gzip or zstd, streamed so the test never holds
 * the unpacked bytes).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar-stream';
import type { ImageStore } from '../../src/engine/images/store';
import { MEDIA } from '../../src/engine/images/media';
import { snapshotTree } from './canaries';
import { sha256, tarBuffer, type Compression } from './image-builder';

const OLD = new Date('2001-02-03T04:05:06Z');

/** A diff id or digest that, used as a path under `<root>/layers/`, names `<dir>/victim`. */
export const PATH_DIGEST = 'sha256:../../victim';
/** The same for `<dir>/bare`, a directory with `diff/` but no layer.json (what a collection would remove). */
export const BARE_PATH_DIGEST = 'sha256:../../bare';

export interface HostileLayout {
  /** Holds `store/` (the store root) and the canaries beside it. */
  dir: string;
  root: string;
  /** `dir/victim`: where `layers/../../victim` lands; holds `diff/canary` and `layer.json`. */
  victim: string;
  /** Content, link count, mode, owner, inode and times of everything in `dir` but the store. */
  assertUntouched(message?: string): void;
}

/** Every entry under `dir` but `skip` (the top dir's own times change as the store is made). */
function snapshot(dir: string, skip: readonly string[]): unknown[] {
  return fs
    .readdirSync(dir)
    .sort()
    .filter((n) => !skip.includes(path.join(dir, n)))
    .flatMap((n) => snapshotTree(dir, path.join(dir, n)));
}

/** Plants `dir/victim/{diff/canary,layer.json}`, `dir/bare/diff/canary` and `dir/secret` with old times; `skip` is left out of the snapshot. */
export function plantCanaries(dir: string, skip: readonly string[] = []): Omit<HostileLayout, 'root'> {
  const victim = path.join(dir, 'victim');
  fs.mkdirSync(path.join(victim, 'diff'), { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(victim, 'diff', 'canary'), 'host data\n', { mode: 0o640 });
  fs.writeFileSync(
    path.join(victim, 'layer.json'),
    JSON.stringify({ diffId: PATH_DIGEST, size: 1, blobs: [] }),
    { mode: 0o600 },
  );
  fs.writeFileSync(path.join(dir, 'secret'), 'host secret\n', { mode: 0o600 });
  fs.mkdirSync(path.join(dir, 'bare', 'diff'), { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'bare', 'diff', 'canary'), 'more host data\n', { mode: 0o644 });
  for (const p of [
    path.join(dir, 'bare', 'diff', 'canary'),
    path.join(dir, 'bare', 'diff'),
    path.join(dir, 'bare'),
    path.join(victim, 'diff', 'canary'),
    path.join(victim, 'diff'),
    path.join(victim, 'layer.json'),
    victim,
    path.join(dir, 'secret'),
  ])
    fs.utimesSync(p, OLD, OLD);
  const before = snapshot(dir, skip);
  return {
    dir,
    victim,
    assertUntouched: (message) =>
      assert.deepEqual(snapshot(dir, skip), before, message ?? 'the host outside the store changed'),
  };
}

/** A temp dir holding `store/` (the store root) and the canaries beside it. */
export function hostileLayout(t: { after: (fn: () => void) => void }): HostileLayout {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-hostile-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'store');
  fs.mkdirSync(root, { recursive: true });
  return { ...plantCanaries(dir, [root]), root };
}

/** Nothing of a refused image: no blob, layer, temp dir, ingest file, image or tag. */
export function assertStoreClean(store: ImageStore): void {
  assert.deepEqual(store.blobs.list(), [], 'no blobs left');
  assert.deepEqual(store.tags(), {}, 'no tags left');
  assert.deepEqual(store.images(), {}, 'no images left');
  for (const sub of ['layers', 'l', 'ingest', 'blobs/sha256']) {
    const p = path.join(store.root, sub);
    assert.deepEqual(fs.existsSync(p) ? fs.readdirSync(p) : [], [], `${sub}/ is empty`);
  }
}

export interface ImageParts {
  config: Buffer | object;
  /** Layer blobs as stored in the archive (compressed or not). */
  layers: Buffer[];
}

const bytesOf = (v: Buffer | object): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v)));

/** A valid config naming `diffIds` (override any field by spreading over it). */
export function configFor(diffIds: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-02T03:04:05Z',
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    ...extra,
  };
}

/** A docker-save archive (manifest.json naming `<hex>.json` and `<hex>/layer.tar`). */
export async function dockerArchive(
  parts: ImageParts,
  opts: { repoTags?: string[]; extra?: [tar.Header | { name: string }, (string | Buffer)?][] } = {},
): Promise<Buffer> {
  const config = bytesOf(parts.config);
  const configName = `${sha256(config).slice(7)}.json`;
  const layerNames = parts.layers.map((l) => `${sha256(l).slice(7)}/layer.tar`);
  const manifest = [{ Config: configName, RepoTags: opts.repoTags ?? ['hostile:1'], Layers: layerNames }];
  return tarBuffer([
    [{ name: 'manifest.json' }, JSON.stringify(manifest)],
    [{ name: configName }, config],
    ...parts.layers.map((l, i): [{ name: string }, Buffer] => [{ name: layerNames[i] }, l]),
    ...(opts.extra ?? []),
  ]);
}

/** An OCI layout archive; `mutate` edits the manifest, `index` replaces index.json's manifests. */
export async function ociArchive(
  parts: ImageParts,
  opts: {
    mutate?: (manifest: { config: Record<string, unknown>; layers: Record<string, unknown>[] }) => void;
    index?: unknown[];
  } = {},
): Promise<{ archive: Buffer; manifestDigest: string }> {
  const config = bytesOf(parts.config);
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: sha256(config), size: config.length },
    layers: parts.layers.map((l) => ({ mediaType: MEDIA.ociLayerGzip, digest: sha256(l), size: l.length })),
  };
  opts.mutate?.(manifest);
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = sha256(manifestBytes);
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: opts.index ?? [
      {
        mediaType: MEDIA.ociManifest,
        digest: manifestDigest,
        size: manifestBytes.length,
        annotations: { 'io.containerd.image.name': 'example.com/hostile:1' },
      },
    ],
  };
  const blob = (b: Buffer): [{ name: string }, Buffer] => [{ name: `blobs/sha256/${sha256(b).slice(7)}` }, b];
  const archive = await tarBuffer([
    [{ name: 'oci-layout' }, JSON.stringify({ imageLayoutVersion: '1.0.0' })],
    [{ name: 'index.json' }, JSON.stringify(index)],
    blob(manifestBytes),
    blob(config),
    ...parts.layers.map(blob),
  ]);
  return { archive, manifestDigest };
}

/** A small honest layer: its gzip blob and diff id. */
export async function smallLayer(): Promise<{ blob: Buffer; diffId: string }> {
  const plain = await tarBuffer([[{ name: 'hello' }, 'hi\n']]);
  return { blob: zlib.gzipSync(plain), diffId: sha256(plain) };
}

export interface Bomb {
  /** The compressed layer. */
  blob: Buffer;
  /** The sha256 of the tar it inflates to (so the config is honest and only the size is hostile). */
  diffId: string;
}

/** A tar of one file of `size` zero bytes, compressed as asked, built without holding the tar. */
export async function bombLayer(size: number, c: Exclude<Compression, 'none'>): Promise<Bomb> {
  const pack = tar.pack();
  const hash = crypto.createHash('sha256');
  const compressor =
    c === 'gzip'
      ? zlib.createGzip({ level: 9 })
      : spawn('zstd', ['-q', '-19', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const input = 'stdin' in compressor ? compressor.stdin : compressor;
  const output = 'stdout' in compressor ? compressor.stdout : compressor;
  const parts: Buffer[] = [];
  output.on('data', (b: Buffer) => void parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    output.on('end', resolve).on('error', reject);
  });
  pack.on('data', (data: unknown) => {
    const b = data as Buffer;
    hash.update(b);
    if (!input.write(b)) pack.pause();
  });
  input.on('drain', () => pack.resume());
  pack.on('end', () => input.end());
  const entry = pack.entry({
    name: 'zeros',
    size,
    mode: 0o644,
    mtime: OLD,
  }) as unknown as NodeJS.WritableStream;
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= chunk.length) {
    if (!entry.write(left >= chunk.length ? chunk : chunk.subarray(0, left)))
      await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
  }
  entry.end();
  pack.finalize();
  await done;
  return { blob: Buffer.concat(parts), diffId: `sha256:${hash.digest('hex')}` };
}
