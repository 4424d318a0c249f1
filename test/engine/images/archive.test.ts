/**
 * `image save` and `image load` against the formats as specified: the OCI image layout
 * (image-spec image-layout.md: oci-layout, index.json, blobs/<alg>/<encoded>) and docker's
 * archive (manifest.json with Config/RepoTags/Layers, repositories), and older docker archives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { loadArchive } from '../../../src/engine/images/archive/load';
import { saveArchive } from '../../../src/engine/images/archive/save';
import { pruneImages, removeImage } from '../../../src/engine/images/gc';
import { MEDIA } from '../../../src/engine/images/media';
import type { ImageStore } from '../../../src/engine/images/store';
import {
  compress,
  putImageBlobs,
  sha256,
  tarBuffer,
  tempStore,
  zstdMissing,
  type TarEntry,
} from '../../helpers/image-builder';

const nobody = () => new Map();
const base: TarEntry[] = [
  [{ name: 'etc/', type: 'directory', mode: 0o755 }],
  [{ name: 'etc/os-release' }, 'ID=test\n'],
  [{ name: 'bin/', type: 'directory', mode: 0o755 }],
  [{ name: 'bin/su', mode: 0o4755 }, '#!/bin/sh\n'],
];
const top: TarEntry[] = [[{ name: 'etc/.wh.os-release' }], [{ name: 'srv/app' }, 'app\n']];

async function readTar(stream: Readable): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const parts: Buffer[] = [];
    for await (const c of entry as AsyncIterable<Buffer>) parts.push(c);
    files.set(
      entry.header.type === 'directory' ? `${entry.header.name.replace(/\/$/, '')}/` : entry.header.name,
      Buffer.concat(parts),
    );
  }
  return files;
}

function tarStream(files: [string, Buffer | string, Partial<tar.Header>?][]): Readable {
  const pack = tar.pack();
  for (const [name, body, header] of files) {
    if (header?.type === 'symlink') pack.entry({ name, ...header });
    else pack.entry({ name, ...header }, body);
  }
  pack.finalize();
  return Readable.from(pack);
}

const json = <T>(files: Map<string, Buffer>, name: string): T =>
  JSON.parse(files.get(name)?.toString() ?? 'null') as T;
const inflate = (b: Buffer): Buffer => (b[0] === 0x1f && b[1] === 0x8b ? zlib.gunzipSync(b) : b);

async function emptyStore(store: ImageStore): Promise<void> {
  await pruneImages(store, { all: true, inUse: nobody });
  assert.deepEqual(store.blobs.list(), []);
  assert.deepEqual(store.layers.list(), []);
}

test('save writes the original blobs as an OCI layout with docker manifest.json; rm then load gives every digest back', async (t) => {
  const store = tempStore(t);
  const app = await putImageBlobs(store, [{ entries: base }, { entries: top }], { label: 'app' });
  await store.addImage({ manifestDigest: app.manifestDigest, tag: 'example.com/team/app:1' });
  await store.tag('app:2', app.manifestDigest);
  const loose = await putImageBlobs(store, [{ entries: base }], { format: 'oci', label: 'loose' });
  await store.addImage({ manifestDigest: loose.manifestDigest });

  const files = await readTar(saveArchive(store, ['example.com/team/app:1', 'app:2', loose.configDigest]));
  assert.deepEqual(json(files, 'oci-layout'), { imageLayoutVersion: '1.0.0' });
  for (const [name, body] of files) {
    const m = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
    if (m) assert.equal(sha256(body), `sha256:${m[1]}`, `${name} is named by its digest`);
    else assert.match(name, /^(blobs\/|blobs\/sha256\/|oci-layout|index\.json|manifest\.json|repositories)$/);
  }
  const expectedBlobs = [
    app.manifestDigest,
    app.configDigest,
    ...app.layerDigests,
    loose.manifestDigest,
    loose.configDigest,
  ];
  for (const d of expectedBlobs) assert.ok(files.has(`blobs/sha256/${d.slice(7)}`), `original blob ${d}`);

  const index = json<{ schemaVersion: number; mediaType: string; manifests: Record<string, unknown>[] }>(
    files,
    'index.json',
  );
  assert.equal(index.schemaVersion, 2);
  assert.equal(index.mediaType, MEDIA.ociIndex);
  const appBytes = files.get(`blobs/sha256/${app.manifestDigest.slice(7)}`)!;
  assert.deepEqual(index.manifests, [
    {
      mediaType: MEDIA.dockerManifest,
      digest: app.manifestDigest,
      size: appBytes.length,
      annotations: {
        'io.containerd.image.name': 'docker.io/library/app:2',
        'org.opencontainers.image.ref.name': '2',
      },
    },
    {
      mediaType: MEDIA.dockerManifest,
      digest: app.manifestDigest,
      size: appBytes.length,
      annotations: {
        'io.containerd.image.name': 'example.com/team/app:1',
        'org.opencontainers.image.ref.name': '1',
      },
    },
    {
      mediaType: MEDIA.ociManifest,
      digest: loose.manifestDigest,
      size: store.blobs.size(loose.manifestDigest),
    },
  ]);

  const items = json<{ Config: string; RepoTags: string[]; Layers: string[] }[]>(files, 'manifest.json');
  assert.deepEqual(items, [
    {
      Config: `blobs/sha256/${app.configDigest.slice(7)}`,
      RepoTags: ['app:2', 'example.com/team/app:1'],
      Layers: app.layerDigests.map((d) => `blobs/sha256/${d.slice(7)}`),
    },
    {
      Config: `blobs/sha256/${loose.configDigest.slice(7)}`,
      RepoTags: [],
      Layers: [`blobs/sha256/${loose.layerDigests[0].slice(7)}`],
    },
  ]);
  // What docker load checks: each layer file, decompressed, is the config's diff id.
  items[0].Layers.forEach((p, i) => assert.equal(sha256(inflate(files.get(p)!)), app.diffIds[i]));
  assert.deepEqual(json(files, 'repositories'), {
    app: { '2': app.layerDigests[1].slice(7) },
    'example.com/team/app': { '1': app.layerDigests[1].slice(7) },
  });

  const saved = Buffer.concat(
    await Readable.from(
      saveArchive(store, ['app:2', 'example.com/team/app:1', loose.configDigest]),
    ).toArray(),
  );
  assert.ok(saved.length > 0);
  await removeImage(store, 'app:2', { inUse: nobody });
  await removeImage(store, 'example.com/team/app:1', { inUse: nobody });
  await emptyStore(store);

  const lines = await loadArchive(store, Readable.from([saved]));
  assert.deepEqual(lines, [
    'Loaded image: app:2',
    'Loaded image: example.com/team/app:1',
    `Loaded image ID: ${loose.configDigest}`,
  ]);
  const back = store.resolve('example.com/team/app:1');
  assert.equal(back.manifestDigest, app.manifestDigest, 'the manifest digest survives');
  assert.equal(back.id, app.configDigest);
  assert.deepEqual(back.config.rootfs.diff_ids, app.diffIds);
  assert.deepEqual(
    store.readManifest(back.manifestDigest).layers.map((l) => l.digest),
    app.layerDigests,
  );
  assert.equal(store.resolve('app:2').manifestDigest, app.manifestDigest);
  assert.equal(store.resolve(loose.configDigest).manifestDigest, loose.manifestDigest);
  assert.equal(fs.readFileSync(path.join(back.layerDirs[0], 'srv/app'), 'utf8'), 'app\n');
  assert.deepEqual(
    store.blobs.list(),
    [...new Set(expectedBlobs)].sort(),
    'no stray blobs (index.json etc. not stored)',
  );
});

test('save of a name without a tag takes every tag of that repository; an unknown image fails before any byte', async (t) => {
  const store = tempStore(t);
  const one = await putImageBlobs(store, [{ entries: base }], { label: '1' });
  const two = await putImageBlobs(store, [{ entries: top }], { label: '2' });
  await store.addImage({ manifestDigest: one.manifestDigest, tag: 'repo:1' });
  await store.addImage({ manifestDigest: two.manifestDigest, tag: 'repo:2' });
  await store.tag('other:1', one.manifestDigest);
  const files = await readTar(saveArchive(store, ['repo']));
  const items = json<{ RepoTags: string[] }[]>(files, 'manifest.json');
  assert.deepEqual(
    items.map((i) => i.RepoTags),
    [['repo:1'], ['repo:2']],
  );
  assert.throws(() => saveArchive(store, ['repo:1', 'missing:1']), /No such image: missing:1/);
});

test('load reads older docker archives: <id>/layer.tar, symlinked repeats, a gzip layer, the whole tar gzipped', async (t) => {
  const store = tempStore(t);
  const l1 = await tarBuffer(base);
  const l2 = await tarBuffer(top);
  const diffIds = [sha256(l1), sha256(l2), sha256(l1)];
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: '2020-01-01T00:00:00Z',
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  const cfgHex = sha256(config).slice(7);
  const [id1, id2, id3] = ['1', '2', '3'].map((c) => c.repeat(64));
  const archive = tarStream([
    [`${id1}/VERSION`, '1.0'],
    [`${id1}/json`, `{"id":"${id1}"}`],
    [`${id1}/layer.tar`, l1],
    [`${id2}/layer.tar`, compress(l2, 'gzip')],
    [`${id3}/layer.tar`, '', { type: 'symlink', linkname: `../${id1}/layer.tar` }],
    [`${cfgHex}.json`, config],
    [
      'manifest.json',
      JSON.stringify([
        {
          Config: `${cfgHex}.json`,
          RepoTags: ['old:1'],
          Layers: [`${id1}/layer.tar`, `${id2}/layer.tar`, `${id3}/layer.tar`],
        },
      ]),
    ],
    ['repositories', JSON.stringify({ old: { '1': id3 } })],
  ]);
  const gz = zlib.gzipSync(Buffer.concat(await archive.toArray()));
  assert.deepEqual(await loadArchive(store, Readable.from([gz])), ['Loaded image: old:1']);
  const img = store.resolve('old:1');
  assert.equal(img.id, `sha256:${cfgHex}`, 'the config (the image ID) is kept byte for byte');
  assert.deepEqual(img.config.rootfs.diff_ids, diffIds);
  const manifest = store.readManifest(img.manifestDigest);
  assert.equal(manifest.mediaType, MEDIA.dockerManifest);
  assert.deepEqual(
    manifest.layers.map((l) => l.mediaType),
    [MEDIA.dockerLayer, MEDIA.dockerLayerGzip, MEDIA.dockerLayer],
  );
  assert.equal(fs.statSync(path.join(img.layerDirs[0], 'bin/su')).mode & 0o7777, 0o4755);
  assert.equal(store.layers.list().length, 2);

  // Loading a different image under the same tag renames the old one away, as docker says.
  const other = await putImageBlobs(store, [{ entries: top }], { label: 'other' });
  await store.addImage({ manifestDigest: other.manifestDigest, tag: 'keep' });
  const again = Buffer.concat(await saveArchive(store, ['keep']).toArray());
  await removeImage(store, 'keep', { inUse: nobody });
  await store.tag('keep', img.manifestDigest);
  assert.deepEqual(await loadArchive(store, Readable.from([again])), [
    `The image keep:latest already exists, renaming the old one with ID ${img.id} to empty string`,
    'Loaded image: keep:latest',
  ]);
});

test('load reads a plain OCI layout: ref.name names it, a multi-platform index picks linux/amd64', async (t) => {
  const store = tempStore(t);
  const src = tempStore(t);
  const zstd = zstdMissing() ? 'gzip' : 'zstd';
  const img = await putImageBlobs(src, [{ entries: base, compression: zstd }], { format: 'oci' });
  const blob = (d: string): [string, Buffer] => [`blobs/sha256/${d.slice(7)}`, src.blobs.read(d)];
  const armOnly = 'sha256:' + 'a'.repeat(64);
  const platformIndex = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: [
      {
        mediaType: MEDIA.ociManifest,
        digest: armOnly,
        size: 10,
        platform: { os: 'linux', architecture: 'arm64' },
      },
      {
        mediaType: MEDIA.ociManifest,
        digest: img.manifestDigest,
        size: src.blobs.size(img.manifestDigest),
        platform: { os: 'linux', architecture: 'amd64' },
      },
    ],
  });
  const indexDigest = src.blobs.put(platformIndex);
  const layout = tarStream([
    ['oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' })],
    [
      'index.json',
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: MEDIA.ociIndex,
            digest: indexDigest,
            size: platformIndex.length,
            annotations: { 'org.opencontainers.image.ref.name': 'oci.example/app:v1' },
          },
          {
            mediaType: MEDIA.ociManifest,
            digest: img.manifestDigest,
            size: 1,
            annotations: { 'org.opencontainers.image.ref.name': 'v1' },
          },
        ],
      }),
    ],
    blob(indexDigest),
    blob(img.manifestDigest),
    blob(img.configDigest),
    blob(img.layerDigests[0]),
  ]);
  assert.deepEqual(await loadArchive(store, layout), ['Loaded image: oci.example/app:v1']);
  const loaded = store.resolve('oci.example/app:v1');
  assert.equal(loaded.manifestDigest, img.manifestDigest);
  assert.equal(store.layers.record(img.diffIds[0])?.blobs[0].digest, img.layerDigests[0]);
  assert.ok(!store.blobs.has(indexDigest), 'the index itself is not kept: nothing refers to it');
});

test('a broken archive is refused with a clear error and leaves nothing behind', async (t) => {
  const store = tempStore(t);
  await assert.rejects(
    loadArchive(store, tarStream([['hello.txt', 'hi']])),
    /invalid archive: neither index.json nor manifest.json found/,
  );
  const liar = 'sha256:' + 'b'.repeat(64);
  await assert.rejects(
    loadArchive(
      store,
      tarStream([
        ['index.json', '{}'],
        [`blobs/sha256/${liar.slice(7)}`, 'not that'],
      ]),
    ),
    /invalid archive: digest mismatch: expected sha256:b{64}/,
  );
  await assert.rejects(
    loadArchive(
      store,
      Readable.from([Buffer.from('not a tar at all, just some text that is long enough'.repeat(20))]),
    ),
    /invalid archive/,
  );
  const missingLayer = tarStream([
    ['manifest.json', JSON.stringify([{ Config: 'c.json', RepoTags: ['x:1'], Layers: ['nope/layer.tar'] }])],
    ['c.json', '{"rootfs":{"type":"layers","diff_ids":["sha256:' + 'c'.repeat(64) + '"]}}'],
    ['unrelated/layer.tar', await tarBuffer(base)],
  ]);
  await assert.rejects(
    loadArchive(store, missingLayer),
    /invalid archive: layer nope\/layer.tar is not in the archive/,
  );
  assert.deepEqual(store.blobs.list(), []);
  assert.deepEqual(store.tags(), {});
  assert.deepEqual(fs.readdirSync(store.blobs.ingestDir), []);
});

test('an index.json naming a manifest the tar lacks gives way to manifest.json', async (t) => {
  const store = tempStore(t);
  const layerTar = await tarBuffer(base);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: {},
    rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
  });
  const blobAt = (d: string) => `blobs/sha256/${d.slice(7)}`;
  const archive = tarStream([
    [
      'index.json',
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: MEDIA.ociManifest, digest: sha256('gone'), size: 4 }],
      }),
    ],
    [
      'manifest.json',
      JSON.stringify([
        { Config: blobAt(sha256(config)), RepoTags: ['fallback:1'], Layers: [blobAt(sha256(layerTar))] },
      ]),
    ],
    [blobAt(sha256(config)), config],
    [blobAt(sha256(layerTar)), layerTar],
  ]);
  assert.deepEqual(await loadArchive(store, archive), ['Loaded image: fallback:1']);
  assert.equal(store.resolve('fallback:1').id, sha256(config));
});
