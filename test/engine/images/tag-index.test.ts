/**
 * The tag index (images.json, repositories.json) survives damage: it keeps its previous copy,
 * a file that cannot be read is repaired from that copy and from the stored manifests with one
 * log line naming it, and no tagged image ever becomes dangling for `image prune` to delete.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pruneImages, type ContainerUse } from '../../../src/engine/images/gc';
import type { ImageStore } from '../../../src/engine/images/store';
import { putImageBlobs, tempStore, type TarEntry, type BuiltImage } from '../../helpers/image-builder';

const nobody = () => new Map<string, ContainerUse>();
const files = (n: string): TarEntry[] => [[{ name: `${n}.txt` }, `${n}\n`]];

/** Two tagged images and a dangling one. */
async function threeImages(store: ImageStore): Promise<BuiltImage[]> {
  const built = [];
  for (const [n, tag] of [
    ['a', 'a:1'],
    ['b', 'example.com/b:2'],
    ['c', undefined],
  ] as const) {
    const img = await putImageBlobs(store, [{ entries: files(n) }], { label: n });
    await store.addImage({ manifestDigest: img.manifestDigest, tag });
    built.push(img);
  }
  return built;
}

/** console.error's lines while `fn` runs. */
async function logged(t: TestContext, fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const mock = t.mock.method(console, 'error', (...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    await fn();
  } finally {
    mock.mock.restore();
  }
  return lines;
}

const DAMAGE: [string, string][] = [
  ['cut short', '{"a:1": "sha256:'],
  ['not JSON', '\u0000\u0000\u0000garbage'],
  ['empty', ''],
  ['an array', '["a:1"]'],
];

test('every write keeps the previous copy; temp, fsync, rename leaves no temp file', async (t) => {
  const store = tempStore(t);
  const [a] = await threeImages(store);
  const tags = path.join(store.root, 'repositories.json');
  const before = fs.readFileSync(tags, 'utf8');
  await store.tag('a:2', a.manifestDigest);
  assert.equal(fs.readFileSync(`${tags}.bak`, 'utf8'), before, 'the copy is the file as it was');
  assert.equal(JSON.parse(fs.readFileSync(tags, 'utf8'))['docker.io/library/a:2'], a.manifestDigest);
  assert.deepEqual(
    fs.readdirSync(store.root).filter((n) => n.endsWith('.tmp')),
    [],
  );
});

for (const [what, bytes] of DAMAGE) {
  test(`repositories.json ${what}: tags come back from the copy, one line names it, prune deletes nothing`, async (t) => {
    const store = tempStore(t);
    const [a, b, c] = await threeImages(store);
    // Added last: its tag is in no copy, so the image looks dangling once the file is lost.
    const d = await putImageBlobs(store, [{ entries: files('d') }], { label: 'd' });
    await store.addImage({ manifestDigest: d.manifestDigest, tag: 'd' });
    const tags = path.join(store.root, 'repositories.json');
    fs.writeFileSync(tags, bytes);

    const lines = await logged(t, async () => {
      const pruned = await pruneImages(store, { inUse: nobody });
      assert.deepEqual(pruned.ImagesDeleted, []);
      assert.equal(store.resolve('a:1').id, a.configDigest);
    });
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.ok(lines[0].includes(`${tags} could not be read`), lines[0]);
    assert.equal(store.resolve('example.com/b:2').id, b.configDigest);
    for (const img of [c, d]) assert.equal(store.resolve(img.configDigest).id, img.configDigest);
    assert.ok(
      fs.readdirSync(store.root).some((n) => n.startsWith('repositories.json.damaged-')),
      'the damaged file is set aside',
    );
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(tags, 'utf8')), 'and a repaired one written');
    const again = await logged(t, () => pruneImages(store, { inUse: nobody }));
    assert.deepEqual(again, [], 'repaired once, named once');
  });
}

test('both index files and their copies lost: images are rebuilt from their manifests and kept from prune', async (t) => {
  const store = tempStore(t);
  const [a, b, c] = await threeImages(store);
  for (const f of ['images.json', 'repositories.json']) {
    fs.writeFileSync(path.join(store.root, f), '{"truncated');
    fs.rmSync(path.join(store.root, `${f}.bak`), { force: true });
  }
  const lines = await logged(t, async () => {
    const out = await pruneImages(store, { inUse: nobody });
    assert.deepEqual(out.ImagesDeleted, [], 'untagged now, but maybe only because the tags are lost');
  });
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines.join('\n'), /images\.json could not be read \(it is not JSON\): rebuilt 3 image/);
  assert.match(lines.join('\n'), /repositories\.json could not be read/);
  for (const img of [a, b, c]) assert.equal(store.resolve(img.configDigest).id, img.configDigest);
  await store.tag('a:1', a.manifestDigest);
  assert.equal(store.resolve('a:1').id, a.configDigest);
  // `prune -a` is the user's explicit wish: it still removes them.
  const all = await pruneImages(store, { all: true, inUse: nobody });
  assert.equal(all.ImagesDeleted.filter((d) => d.Deleted === a.configDigest).length, 1);
  assert.deepEqual(store.images(), {});
});

test('images.json with entries of the wrong shape: the good ones stay, the rest come from the copy', async (t) => {
  const store = tempStore(t);
  const [a, b] = await threeImages(store);
  const file = path.join(store.root, 'images.json');
  const good = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(
    file,
    JSON.stringify({
      [a.manifestDigest]: good[a.manifestDigest],
      [b.manifestDigest]: { id: 42 },
      '../../etc': { id: a.configDigest, added: 'x' },
    }),
  );
  const lines = await logged(t, async () =>
    assert.equal(store.resolve('example.com/b:2').id, b.configDigest),
  );
  assert.match(lines.join('\n'), /images\.json could not be read \(2 entries have the wrong shape\)/);
  assert.deepEqual(Object.keys(store.images()).sort(), Object.keys(good).sort());
});
