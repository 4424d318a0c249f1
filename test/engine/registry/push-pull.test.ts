import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pullImage } from '../../../src/engine/images/registry/pull';
import { pushImage } from '../../../src/engine/images/registry/push';
import { busyboxLayers, busyboxMissing } from '../../helpers/busybox-image';
import { registryMissing, startRegistry } from '../../helpers/registry';
import { buildImage, storeImage, type Compression } from '../../helpers/registry-images';
import { recorder, tempStore } from './helpers';

const skip = busyboxMissing() || registryMissing();

test(
  'push -> rm -> pull round trip keeps every digest; chunked upload, mount, already-existing layers',
  { skip },
  async (t) => {
    const reg = await startRegistry();
    t.after(() => reg.stop());
    const src = tempStore(t);
    const built = buildImage({ compression: 'gzip' });
    const ref = `${reg.host}/rt/busybox:v1`;
    const local = await storeImage(src, built, ref);

    const pushed = recorder();
    const res = await pushImage(src, ref, { chunkSize: 256 * 1024 }, pushed.emit);
    assert.equal(res.digest, built.manifest.digest);
    assert.equal(res.tag, 'v1');
    assert.deepEqual(pushed.events[0], { status: `The push refers to repository [${reg.host}/rt/busybox]` });
    for (const l of built.layers) assert.ok(pushed.statuses(l.digest.slice(7, 19)).includes('Pushed'));
    assert.ok(pushed.events.some((e) => e.status === 'Pushing' && (e.progressDetail?.current ?? 0) > 0));
    assert.deepEqual(pushed.events.at(-1)?.aux, {
      Tag: 'v1',
      Digest: built.manifest.digest,
      Size: built.manifest.size,
    });

    const again = recorder();
    await pushImage(src, ref, {}, again.emit);
    assert.deepEqual(
      new Set(again.statuses().filter((s) => s.startsWith('Layer') || s === 'Pushed')),
      new Set(['Layer already exists']),
    );

    await src.tag(`${reg.host}/other/box:v1`, local.manifestDigest);
    const mounted = recorder();
    await pushImage(src, `${reg.host}/other/box:v1`, {}, mounted.emit);
    assert.ok(mounted.statuses().includes('Mounted from rt/busybox'), mounted.statuses().join(','));

    // rm: a fresh store, as after `image rm` and a prune
    const dst = tempStore(t);
    const pulled = recorder();
    const out = await pullImage(dst, ref, {}, pulled.emit);
    assert.equal(out.image.manifestDigest, built.manifest.digest);
    assert.equal(out.image.id, built.config.digest);
    assert.equal(out.digest, built.manifest.digest);
    assert.deepEqual(
      out.image.config.rootfs.diff_ids,
      built.layers.map((l) => l.diffId),
    );
    for (const l of built.layers) assert.equal(dst.blobs.read(l.digest).length, l.size);
    assert.ok(fs.existsSync(path.join(out.image.layerDirs.at(-1) as string, 'bin', 'busybox')));
    assert.deepEqual(pulled.events[0], { status: 'Pulling from rt/busybox', id: 'v1' });
    const id = built.layers[0].digest.slice(7, 19);
    assert.deepEqual(
      pulled.statuses(id).filter((s) => s !== 'Downloading'),
      ['Pulling fs layer', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete'],
    );
    assert.deepEqual(pulled.statuses().slice(-2), [
      `Digest: ${built.manifest.digest}`,
      `Status: Downloaded newer image for ${reg.host}/rt/busybox:v1`,
    ]);
    assert.equal(dst.resolve(ref).manifestDigest, built.manifest.digest);

    const second = recorder();
    const same = await pullImage(dst, ref, {}, second.emit);
    assert.equal(same.upToDate, true);
    assert.equal(second.statuses().at(-1), `Status: Image is up to date for ${reg.host}/rt/busybox:v1`);

    // by digest, into yet another store: no tag, same image
    const third = tempStore(t);
    const byDigest = await pullImage(third, `${reg.host}/rt/busybox@${built.manifest.digest}`);
    assert.equal(byDigest.image.id, built.config.digest);
    assert.deepEqual(third.tags(), {});
  },
);

for (const compression of ['zstd', 'none'] as Compression[]) {
  test(`pull: ${compression} layers are stored as served and unpacked`, { skip }, async (t) => {
    const reg = await startRegistry();
    t.after(() => reg.stop());
    const src = tempStore(t);
    const built = buildImage({ compression });
    const ref = `${reg.host}/c/${compression}:latest`;
    await storeImage(src, built, ref);
    await pushImage(src, ref);
    const dst = tempStore(t);
    const { image } = await pullImage(dst, ref);
    assert.equal(image.manifestDigest, built.manifest.digest);
    for (const l of built.layers) assert.equal(dst.blobs.read(l.digest).length, l.size);
    assert.ok(fs.existsSync(path.join(image.layerDirs.at(-1) as string, 'bin', 'busybox')));
    assert.ok(fs.existsSync(path.join(image.layerDirs[0], 'opt', 'data', 'new.txt')));
  });
}

test('pull: a Docker schema2 manifest and its layers already present are skipped', { skip }, async (t) => {
  const reg = await startRegistry();
  t.after(() => reg.stop());
  const src = tempStore(t);
  const small = buildImage({ docker: true, layers: busyboxLayers().layers.slice(0, 2) });
  const full = buildImage({ docker: true });
  await storeImage(src, small, `${reg.host}/d/small:1`);
  await storeImage(src, full, `${reg.host}/d/full:1`);
  await pushImage(src, `${reg.host}/d/small:1`);
  await pushImage(src, `${reg.host}/d/full:1`);

  const dst = tempStore(t);
  await pullImage(dst, `${reg.host}/d/small:1`);
  const rec = recorder();
  const { image } = await pullImage(dst, `${reg.host}/d/full:1`, {}, rec.emit);
  assert.equal(image.manifestDigest, full.manifest.digest);
  const [a, b, c] = full.layers.map((l) => l.digest.slice(7, 19));
  assert.deepEqual(rec.statuses(a), ['Already exists']);
  assert.deepEqual(rec.statuses(b), ['Already exists']);
  assert.equal(rec.statuses(c)[0], 'Pulling fs layer');
  assert.ok(rec.statuses(c).includes('Pull complete'));
});
