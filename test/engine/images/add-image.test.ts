import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MEDIA } from '../../../src/engine/images/media';
import type { ImageStore } from '../../../src/engine/images/store';
import { putImageBlobs, sha256, tempStore, zstdMissing, type TarEntry } from '../../helpers/image-builder';

const base: TarEntry[] = [
  [{ name: 'etc/', type: 'directory', mode: 0o755 }],
  [{ name: 'etc/motd' }, 'hello\n'],
  [{ name: 'var/cache/', type: 'directory', mode: 0o755 }],
  [{ name: 'var/cache/old' }, 'old\n'],
];
const top: TarEntry[] = [
  [{ name: 'etc/.wh.motd' }],
  [{ name: 'var/cache/.wh..wh..opq' }],
  [{ name: 'var/cache/new' }, 'new\n'],
];

/** Nothing of a failed add: no layers, no blobs, no temp dirs, no index entries. */
function assertEmpty(store: ImageStore): void {
  assert.deepEqual(store.blobs.list(), []);
  assert.deepEqual(store.layers.list(), []);
  assert.deepEqual(store.tags(), {});
  assert.deepEqual(store.images(), {});
  for (const dir of ['layers', 'l', 'ingest']) {
    const p = path.join(store.root, dir);
    assert.deepEqual(fs.existsSync(p) ? fs.readdirSync(p) : [], [], `${dir}/ is empty`);
  }
}

test('addImage: gzip layers of a docker manifest are unpacked once by diff id, blobs kept, tagged', async (t) => {
  const store = tempStore(t);
  const built = await putImageBlobs(store, [{ entries: base }, { entries: top }]);
  const img = await store.addImage({ manifestDigest: built.manifestDigest, tag: 'example.com/app:1' });
  assert.equal(img.id, built.configDigest);
  assert.deepEqual(img.config.rootfs.diff_ids, built.diffIds);
  assert.deepEqual(
    img.layerDirs,
    [...built.diffIds].reverse().map((d) => store.layerDir(d)),
  );
  assert.equal(store.resolve('example.com/app:1').manifestDigest, built.manifestDigest);
  assert.equal(fs.readFileSync(path.join(img.layerDirs[1], 'etc/motd'), 'utf8'), 'hello\n');
  assert.ok(fs.statSync(path.join(img.layerDirs[0], 'etc/motd')).isCharacterDevice());
  for (const [i, diffId] of built.diffIds.entries()) {
    const record = store.layers.record(diffId);
    assert.equal(record?.diffId, diffId);
    assert.deepEqual(
      record?.blobs.map((b) => [b.digest, b.mediaType]),
      [[built.layerDigests[i], MEDIA.dockerLayerGzip]],
    );
    assert.ok(store.blobs.has(built.layerDigests[i]), 'the original gzip blob is kept');
    assert.ok(!store.blobs.has(diffId), 'no uncompressed copy is stored');
    assert.equal(fs.realpathSync(path.join(store.root, store.layers.link(diffId))), store.layerDir(diffId));
  }
  assert.equal(store.size(img), 'hello\nold\nnew\n'.length);

  const again = await store.addImage({ manifestDigest: built.manifestDigest });
  assert.equal(again.id, img.id, 'adding an image twice is harmless');
  assert.equal(store.layers.list().length, 2);
});

test('addImage: zstd and uncompressed OCI layers; one diff id from two blobs is one layer dir', async (t) => {
  const store = tempStore(t);
  const plain = await putImageBlobs(store, [{ entries: base, compression: 'none' }], { format: 'oci' });
  await store.addImage({ manifestDigest: plain.manifestDigest, tag: 'plain' });
  assert.equal(plain.layerDigests[0], plain.diffIds[0], 'an uncompressed blob is its own diff id');
  const skip = zstdMissing();
  if (skip) {
    t.diagnostic(`zstd part skipped: ${skip}`);
    return;
  }
  const z = await putImageBlobs(
    store,
    [
      { entries: base, compression: 'zstd' },
      { entries: top, compression: 'zstd' },
    ],
    {
      format: 'oci',
    },
  );
  const img = await store.addImage({ manifestDigest: z.manifestDigest, tag: 'zstd' });
  assert.equal(z.diffIds[0], plain.diffIds[0]);
  assert.equal(store.layers.list().length, 2);
  assert.deepEqual(
    store.layers.record(z.diffIds[0])?.blobs.map((b) => b.mediaType),
    [MEDIA.ociLayer, MEDIA.ociLayerZstd],
  );
  assert.equal(fs.readFileSync(path.join(img.layerDirs[0], 'var/cache/new'), 'utf8'), 'new\n');
});

test('addImage: a layer that does not unpack to its diff id is refused and leaves nothing behind', async (t) => {
  const store = tempStore(t);
  const good = await putImageBlobs(store, [{ entries: base }]);
  const forged = sha256('not this layer');
  const bad = await putImageBlobs(store, [{ entries: top }, { entries: base }], {
    diffIds: [forged, good.diffIds[0]],
  });
  store.blobs.remove(good.manifestDigest);
  store.blobs.remove(good.configDigest);
  await assert.rejects(
    store.addImage({ manifestDigest: bad.manifestDigest, tag: 'bad' }),
    /layer sha256:[a-f0-9]{64} does not match the image config: it unpacks to sha256:[a-f0-9]{64}, the config says sha256:/,
  );
  assertEmpty(store);

  const truncated = await putImageBlobs(store, [{ entries: base }]);
  fs.truncateSync(store.blobs.path(truncated.layerDigests[0]), 40);
  await assert.rejects(
    store.addImage({ manifestDigest: truncated.manifestDigest }),
    /unexpected end of file/,
  );
  assertEmpty(store);
});

test('addImage: an index or a manifest whose layers and diff ids disagree is refused', async (t) => {
  const store = tempStore(t);
  const index = store.blobs.put(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [] }),
  );
  await assert.rejects(store.addImage({ manifestDigest: index }), /not an image manifest/);
  const built = await putImageBlobs(store, [{ entries: base }], { diffIds: [] });
  await assert.rejects(
    store.addImage({ manifestDigest: built.manifestDigest }),
    /1 layers but the config has 0 diff ids/,
  );
  assertEmpty(store);
});

test('addImage: processes adding the same image at once end with one intact copy of each layer', async (t) => {
  const store = tempStore(t);
  const built = await putImageBlobs(store, [
    { entries: [[{ name: 'big' }, Buffer.alloc(4 * 1024 * 1024, 7)]] },
    { entries: top },
  ]);
  const storeModule = path.resolve(__dirname, '../../../src/engine/images/store.js');
  const script = `new (require(${JSON.stringify(storeModule)}).ImageStore)(${JSON.stringify(store.root)})
    .addImage({ manifestDigest: ${JSON.stringify(built.manifestDigest)}, tag: 'race:' + process.argv[1] })
    .catch((e) => { console.error(e); process.exit(1); });`;
  const children = Array.from({ length: 4 }, (_, i) => spawn(process.execPath, ['-e', script, String(i)]));
  const codes = await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
  assert.deepEqual(codes, [0, 0, 0, 0]);
  assert.deepEqual(
    Object.keys(store.tags()).sort(),
    [0, 1, 2, 3].map((i) => `docker.io/library/race:${i}`),
  );
  assert.deepEqual(store.layers.list().sort(), [...built.diffIds].sort());
  assert.equal(fs.statSync(path.join(store.layerDir(built.diffIds[0]), 'big')).size, 4 * 1024 * 1024);
  assert.deepEqual(
    fs.readdirSync(path.join(store.root, 'layers')).filter((n) => n.startsWith('.')),
    [],
  );
  assert.equal(store.layers.record(built.diffIds[0])?.blobs.length, 1);
});
