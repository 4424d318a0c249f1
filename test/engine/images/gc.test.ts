import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pruneImages, removeImage, tagImage, type ContainerUse } from '../../../src/engine/images/gc';
import type { ImageStore } from '../../../src/engine/images/store';
import { putImageBlobs, tempStore, type TarEntry } from '../../helpers/image-builder';

const shared: TarEntry[] = [
  [{ name: 'bin/', type: 'directory', mode: 0o755 }],
  [{ name: 'bin/tool', mode: 0o755 }, 'x'.repeat(5000)],
];
const own = (n: string): TarEntry[] => [[{ name: `${n}.txt` }, `${n}\n`]];
const short = (id: string) => id.slice(7, 19);

/** Two tagged images sharing their bottom layer. */
async function twoImages(store: ImageStore) {
  const a = await putImageBlobs(store, [{ entries: shared }, { entries: own('a') }], { label: 'a' });
  const b = await putImageBlobs(store, [{ entries: shared }, { entries: own('b') }], { label: 'b' });
  await store.addImage({ manifestDigest: a.manifestDigest, tag: 'a' });
  await store.addImage({ manifestDigest: b.manifestDigest, tag: 'b' });
  return { a, b };
}

const nobody = () => new Map<string, ContainerUse>();

test('rm: an image sharing a layer frees only its own; the last one frees the shared layer too', async (t) => {
  const store = tempStore(t);
  const { a, b } = await twoImages(store);
  assert.equal(store.layers.list().length, 3);

  const out = await removeImage(store, 'a', { inUse: nobody });
  assert.deepEqual(out.slice(0, 2), [{ Untagged: 'a:latest' }, { Deleted: a.configDigest }]);
  assert.equal(out.length, 3, 'one layer deleted (its chain id)');
  assert.ok(store.layers.has(a.diffIds[0]), 'the shared layer stays');
  assert.ok(store.blobs.has(a.layerDigests[0]), 'and its blob');
  assert.ok(!store.layers.has(a.diffIds[1]));
  for (const d of [a.manifestDigest, a.configDigest, a.layerDigests[1]]) assert.ok(!store.blobs.has(d), d);
  assert.throws(() => store.resolve('a'), /No such image: a/);
  assert.equal(fs.readFileSync(path.join(store.layerDir(b.diffIds[0]), 'bin/tool'), 'utf8').length, 5000);

  const last = await removeImage(store, 'b', { inUse: nobody });
  assert.deepEqual(
    last.map((o) => Object.keys(o)[0]),
    ['Untagged', 'Deleted', 'Deleted', 'Deleted'],
  );
  assert.equal(last[2].Deleted, b.diffIds[0], 'the bottom layer: its chain id is its diff id');
  assert.deepEqual(store.blobs.list(), []);
  assert.deepEqual(store.layers.list(), []);
  assert.deepEqual(fs.readdirSync(path.join(store.root, 'l')), [], 'no dangling short links');
  assert.deepEqual(store.images(), {});
});

test('rm: a second tag is only untagged; an ID with two tags needs -f; No such image', async (t) => {
  const store = tempStore(t);
  const { a } = await twoImages(store);
  await tagImage(store, 'a', 'example.com/team/a:v1');
  assert.deepEqual(await removeImage(store, 'a:latest', { inUse: nobody }), [{ Untagged: 'a:latest' }]);
  assert.equal(store.resolve('example.com/team/a:v1').id, a.configDigest);
  await tagImage(store, short(a.configDigest), 'a:again');
  await assert.rejects(
    removeImage(store, a.configDigest, { inUse: nobody }),
    new RegExp(
      `^ConflictError: conflict: unable to delete ${short(a.configDigest)} \\(must be forced\\) - image is referenced in multiple repositories$`,
    ),
  );
  const forced = await removeImage(store, short(a.configDigest), { force: true, inUse: nobody });
  assert.deepEqual(forced.slice(0, 3), [
    { Untagged: 'a:again' },
    { Untagged: 'example.com/team/a:v1' },
    { Deleted: a.configDigest },
  ]);
  await assert.rejects(removeImage(store, 'nope', { inUse: nobody }), /No such image: nope/);
  await assert.rejects(tagImage(store, 'nope', 'x'), /No such image: nope/);
});

test('rm: containers keep their image and its layers (stopped: -f removes it, running: never)', async (t) => {
  const store = tempStore(t);
  const { a, b } = await twoImages(store);
  const stopped = new Map([[a.configDigest, { id: 'c'.repeat(64), running: false }]]);
  await assert.rejects(
    removeImage(store, 'a', { inUse: () => stopped }),
    /conflict: unable to remove repository reference "a" \(must force\) - container cccccccccccc is using its referenced image /,
  );
  await assert.rejects(
    removeImage(store, a.configDigest, { inUse: () => stopped }),
    /conflict: unable to delete [a-f0-9]{12} \(must be forced\) - image is being used by stopped container cccccccccccc/,
  );
  const out = await removeImage(store, 'a', { force: true, inUse: () => stopped });
  assert.deepEqual(out, [{ Untagged: 'a:latest' }, { Deleted: a.configDigest }], 'no layer deleted');
  assert.ok(store.layers.has(a.diffIds[1]), "the container's layers stay");
  assert.throws(() => store.resolve(a.configDigest), /No such image/, 'the image itself is gone');
  // Once the container is gone, the next collection frees them.
  await pruneImages(store, { inUse: nobody });
  assert.ok(!store.layers.has(a.diffIds[1]));
  assert.ok(!store.blobs.has(a.configDigest));

  const running = new Map([[b.configDigest, { id: 'd'.repeat(64), running: true }]]);
  await assert.rejects(
    removeImage(store, b.configDigest, { force: true, inUse: () => running }),
    /conflict: unable to delete [a-f0-9]{12} \(cannot be forced\) - image is being used by running container dddddddddddd/,
  );
  assert.deepEqual(await removeImage(store, 'b', { force: true, inUse: () => running }), [
    { Untagged: 'b:latest' },
  ]);
  assert.ok(store.layers.has(b.diffIds[1]));
  assert.equal(Object.keys(store.images()).length, 1, 'left dangling, as docker leaves it');
});

test('prune: dangling images only, then -a for every image no container uses', async (t) => {
  const store = tempStore(t);
  const { a, b } = await twoImages(store);
  const c = await putImageBlobs(store, [{ entries: own('c') }]);
  await store.addImage({ manifestDigest: c.manifestDigest });
  const used = new Map([[b.configDigest, { id: 'e'.repeat(64), running: false }]]);

  const dangling = await pruneImages(store, { inUse: () => used });
  assert.deepEqual(dangling.ImagesDeleted, [{ Deleted: c.configDigest }, { Deleted: c.diffIds[0] }]);
  assert.ok(dangling.SpaceReclaimed >= 2, `${dangling.SpaceReclaimed}`);
  assert.equal(Object.keys(store.images()).length, 2);

  const all = await pruneImages(store, { all: true, inUse: () => used });
  assert.deepEqual(all.ImagesDeleted?.slice(0, 2), [{ Untagged: 'a:latest' }, { Deleted: a.configDigest }]);
  assert.equal(all.ImagesDeleted?.length, 3, "and a's own layer");
  assert.ok(store.layers.has(a.diffIds[0]), 'shared with b, which a container uses');
  assert.ok(!store.layers.has(a.diffIds[1]));
  assert.equal(store.resolve('b').id, b.configDigest);
  assert.deepEqual((await pruneImages(store, { all: true, inUse: () => used })).ImagesDeleted, []);
});

test('concurrent adds and removals of images sharing a layer never break the survivors', async (t) => {
  const store = tempStore(t);
  const built = [];
  for (let i = 0; i < 6; i++)
    built.push(
      await putImageBlobs(store, [{ entries: shared }, { entries: own(`n${i}`) }], { label: `${i}` }),
    );
  await Promise.all(built.map((b, i) => store.addImage({ manifestDigest: b.manifestDigest, tag: `n${i}` })));
  // Remove the even ones while the odd ones are added again (a second pull of the same image).
  await Promise.all(
    built.map((b, i) =>
      i % 2 === 0
        ? removeImage(store, `n${i}`, { inUse: nobody })
        : store.addImage({ manifestDigest: b.manifestDigest, tag: `n${i}` }),
    ),
  );
  for (let i = 1; i < 6; i += 2) {
    const img = store.resolve(`n${i}`);
    for (const dir of img.layerDirs) assert.ok(fs.existsSync(dir), dir);
  }
  assert.equal(store.layers.list().length, 4, 'the shared layer and the three odd ones');
  assert.deepEqual(
    fs.readdirSync(path.join(store.root, 'layers')).filter((n) => n.startsWith('.')),
    [],
    'no temp or half-deleted layer dirs',
  );
});
