/**
 * What crashes and interrupted work leave in the image store is reclaimed: at engine start, by
 * `image rm` and by `image prune`; layer lock files live only while held; with no images the
 * store is its empty skeleton.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pruneImages, removeImage, type ContainerUse } from '../../../src/engine/images/gc';
import type { ImageStore } from '../../../src/engine/images/store';
import { withLock } from '../../../src/platform/linux/file-lock';
import { startTestEngine } from '../../helpers/engine';
import { putImageBlobs, sha256, tempStore, type TarEntry } from '../../helpers/image-builder';

const nobody = () => new Map<string, ContainerUse>();
const files = (n: string): TarEntry[] => [[{ name: `${n}.txt` }, `${n}\n`]];
const hex = (d: string) => d.slice('sha256:'.length);
const HOUR_AGO = new Date(Date.now() - 2 * 3600_000);

/** A pid no process has (one that just ended). */
function deadPid(): number {
  const r = spawnSync('true');
  assert.ok(r.pid);
  return r.pid;
}

/** Every path under `dir`, relative, directories with a trailing slash, sorted. */
function listTree(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(rel, e.name);
      return e.isDirectory() ? [`${p}/`, ...listTree(dir, p)] : [p];
    })
    .sort();
}

/** The empty store: its directories, the index files (with their copies) and the store lock. */
const SKELETON = [
  'blobs/',
  'blobs/sha256/',
  'images.json',
  'images.json.bak',
  'ingest/',
  'l/',
  'layers/',
  'locks/',
  'repositories.json',
  'repositories.json.bak',
  'repositories.json.lock',
];

/** What a crash mid-unpack, mid-rm and mid-pull leaves, plus an older build's lock files. */
function leaveLeftovers(store: ImageStore): string[] {
  const layers = store.layers.dir;
  const orphan = sha256('an unpacked layer no image uses');
  const made = [
    path.join(layers, `.tmp-${hex(sha256('x'))}-0123456789ab`, 'diff', 'half'),
    path.join(layers, '.tmp-0123456789ab', 'diff', 'older-build'),
    path.join(layers, `.gc-${hex(orphan)}-01234567`, 'diff', 'half-removed'),
    path.join(layers, hex(orphan), 'diff', 'file'),
    path.join(store.blobs.ingestDir, `${deadPid()}-00112233445566778899`),
    path.join(store.root, `.images.json.${deadPid()}.01234567.tmp`),
    path.join(store.root, 'distribution', `${hex(sha256('gone'))}.json`),
    store.layers.lockFile(sha256('a layer of long ago')),
  ];
  for (const f of made) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, 'left\n');
  }
  // Written by an earlier process (this one's own recent blobs are left to its pulls).
  const blob = store.blobs.path(sha256('a blob nothing references'));
  fs.writeFileSync(blob, 'a blob nothing references');
  fs.utimesSync(blob, HOUR_AGO, HOUR_AGO);
  fs.symlinkSync('../layers/nowhere/diff', path.join(store.layers.linksDir, 'nowhere00000'));
  return [...made, blob];
}

test('layer lock files exist only while held; a waiter on a deleted lock file takes the new one', async (t) => {
  const store = tempStore(t);
  const a = await putImageBlobs(store, [{ entries: files('a') }, { entries: files('b') }]);
  await store.addImage({ manifestDigest: a.manifestDigest, tag: 'a' });
  assert.deepEqual(fs.readdirSync(store.layers.locksDir), [], 'no lock file after an add');

  // Many holders of one lock that each delete it on release: never two at once.
  const file = store.layers.lockFile(a.diffIds[0]);
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      withLock(file, async (lock) => {
        inside++;
        most = Math.max(most, inside);
        assert.ok(fs.existsSync(file), 'the held lock file is there');
        await new Promise((r) => setTimeout(r, i % 3));
        inside--;
        lock.removeOnRelease();
      }),
    ),
  );
  assert.equal(most, 1, 'one holder at a time');
  assert.ok(!fs.existsSync(file));

  // A lock file left by an older build (or a crash) is reclaimed; a held one is not.
  const held = store.layers.lockFile(sha256('held'));
  const stale = store.layers.lockFile(sha256('stale'));
  fs.writeFileSync(stale, '');
  let release = () => undefined as void;
  const holding = withLock(held, () => new Promise<void>((r) => (release = r)));
  await new Promise((r) => setTimeout(r, 20));
  await pruneImages(store, { inUse: nobody });
  assert.deepEqual(fs.readdirSync(store.layers.locksDir), [path.basename(held)]);
  release();
  await holding;

  await removeImage(store, 'a', { inUse: nobody });
  assert.deepEqual(listTree(store.root), SKELETON);
});

test('image prune and image rm reclaim leftovers; recent unreferenced blobs wait (a pull may own them)', async (t) => {
  const store = tempStore(t);
  const a = await putImageBlobs(store, [{ entries: files('a') }]);
  await store.addImage({ manifestDigest: a.manifestDigest, tag: 'a' });
  const pulling = store.blobs.put('a blob of a pull in flight');
  const left = leaveLeftovers(store);
  const own = path.join(store.blobs.ingestDir, `${process.pid}-in-flight`);
  fs.writeFileSync(own, 'downloading');

  await pruneImages(store, { inUse: nobody });
  const remaining = left.filter((f) => fs.existsSync(f));
  // The older build's temp dir cannot be told from an unpack in flight: it waits for a start.
  assert.deepEqual(
    remaining.map((f) => path.relative(store.root, f)),
    ['layers/.tmp-0123456789ab/diff/older-build'],
  );
  assert.ok(store.blobs.has(pulling), 'a fresh unreferenced blob stays');
  assert.ok(fs.existsSync(own), "a live writer's ingest file stays");
  assert.deepEqual(fs.readdirSync(store.layers.linksDir), [store.layers.link(a.diffIds[0]).slice(2)]);
  assert.equal(store.resolve('a').id, a.configDigest, 'the image still works');

  fs.rmSync(own);
  leaveLeftovers(store);
  await removeImage(store, 'a', { inUse: nobody });
  const rest = listTree(store.root).filter((p) => !SKELETON.includes(p));
  assert.deepEqual(rest.sort(), [
    'blobs/sha256/' + hex(pulling),
    'distribution/',
    'layers/.tmp-0123456789ab/',
    'layers/.tmp-0123456789ab/diff/',
    'layers/.tmp-0123456789ab/diff/older-build',
  ]);
});

test('the engine reclaims leftovers when it starts; with no images the store is its skeleton', async () => {
  let left: string[] = [];
  const t = await startTestEngine({
    beforeStart: (store) => {
      left = leaveLeftovers(store);
      // An earlier engine that had this pid: nothing of this one runs yet.
      const mine = path.join(store.blobs.ingestDir, `${process.pid}-0011223344556677`);
      fs.writeFileSync(mine, 'partial');
      left.push(mine);
    },
  });
  try {
    const images = path.join(t.root, 'images');
    // The files of removed dirs go in the background, after the engine serves.
    const remaining = () => left.filter((f) => fs.existsSync(f)).map((f) => path.relative(images, f));
    for (let i = 0; i < 200 && remaining().length; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(remaining(), []);
    const { Id } = await t.engine.createContainer({ Image: 'busybox', Cmd: ['true'] });
    await t.engine.removeContainer(Id, {});
    await t.engine.removeImage('busybox', {});
    assert.deepEqual(listTree(images), SKELETON);
  } finally {
    await t.close();
  }
});
