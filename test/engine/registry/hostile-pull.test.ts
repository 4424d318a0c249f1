/**
 * A registry serving what a real one never would (a stub, SECURITY.md): path-like diff ids and
 * layer digests, sha512 digests, configs that are not JSON or have wrong types, bad sizes. Each
 * pull fails with one line naming the field before any layer is downloaded, nothing lands in
 * the store, and the canaries where `layers/../../victim` points are untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_IMAGE_LIMITS } from '../../../src/engine/images/limits';
import { MEDIA } from '../../../src/engine/images/media';
import { pullImage } from '../../../src/engine/images/registry/pull';
import { ImageStore } from '../../../src/engine/images/store';
import { sha256 } from '../../helpers/image-builder';
import {
  assertStoreClean,
  configFor,
  hostileLayout,
  PATH_DIGEST,
  smallLayer,
} from '../../helpers/hostile-images';
import {
  startHostileRegistry,
  type HostileImage,
  type HostileRegistry,
} from '../../helpers/hostile-registry';
import { recorder } from './helpers';

type T = { after: (fn: () => void | Promise<void>) => void };

async function setup(t: T) {
  const layout = hostileLayout(t);
  const store = new ImageStore(layout.root, { ...DEFAULT_IMAGE_LIMITS, minFreeSpace: 0 });
  const reg = await startHostileRegistry();
  t.after(() => reg.close());
  return { layout, store, reg };
}

const hex = /sha256:[a-f0-9]{64}/.source;

/** The pull fails with one line matching `re`, without fetching a single layer blob. */
async function refusedBeforeLayers(
  store: ImageStore,
  reg: HostileRegistry,
  ref: string,
  layerDigests: string[],
  re: RegExp,
): Promise<void> {
  const rec = recorder();
  await assert.rejects(pullImage(store, ref, {}, rec.emit), (err: Error) => {
    assert.match(err.message, re);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
  for (const d of layerDigests)
    assert.ok(
      !reg.requests.some((r) => r.includes(d)),
      `layer ${d} was not downloaded: ${reg.requests.join(', ')}`,
    );
  assertStoreClean(store);
  assert.ok(!fs.existsSync(path.join(store.root, 'distribution')), 'no blob sources recorded');
}

test('pull: a config whose diff id is a path is refused before any layer is fetched', async (t) => {
  const { layout, store, reg } = await setup(t);
  const layer = await smallLayer();
  for (const diffIds of [
    [PATH_DIGEST],
    [layer.diffId, 'sha256:/../../../victim'],
    ['sha512:' + 'a'.repeat(128)],
  ]) {
    const tag = `t${reg.requests.length}`;
    const img = reg.publish('evil/diffid', tag, {
      config: configFor(diffIds),
      layers: diffIds.map(() => layer.blob),
    });
    const i = diffIds.length - 1;
    await refusedBeforeLayers(
      store,
      reg,
      img.ref,
      img.layerDigests,
      new RegExp(`^invalid image config ${hex}: rootfs\\.diff_ids\\[${i}\\]: invalid digest "`),
    );
    layout.assertUntouched();
  }
});

test('pull: a manifest whose layer or config digest is a path or sha512, or whose size is bad, is refused', async (t) => {
  const { layout, store, reg } = await setup(t);
  const layer = await smallLayer();
  const sha512 = `sha512:${'cd'.repeat(64)}`;
  const cases: [HostileImage['mutate'], RegExp][] = [
    [
      (m) => (m.layers[0].digest = PATH_DIGEST),
      /: layers\[0\]\.digest: invalid digest "sha256:\.\.\/\.\.\/victim"$/,
    ],
    [
      (m) => (m.layers[0].digest = sha512),
      /: layers\[0\]\.digest: invalid digest "sha512:[a-f0-9]+": unsupported algorithm sha512, only sha256 is supported$/,
    ],
    [(m) => (m.config.digest = `sha256:${'A'.repeat(64)}`), /: config\.digest: invalid digest "sha256:A+"$/],
    [
      (m) => (m.layers[0].size = -1),
      /: layers\[0\]\.size: must be a whole number of bytes from 0 to 2\^53, not -1$/,
    ],
    [(m) => (m.layers[0].size = 2 ** 63), /: layers\[0\]\.size: must be a whole number of bytes/],
    [(m) => (m.layers = 'none' as never), /: layers: must be a list, not string "none"$/],
  ];
  for (const [i, [mutate, re]] of cases.entries()) {
    const img = reg.publish('evil/manifest', `t${i}`, {
      config: configFor([layer.diffId]),
      layers: [layer.blob],
      mutate,
    });
    await refusedBeforeLayers(
      store,
      reg,
      img.ref,
      img.layerDigests,
      new RegExp(`^invalid image manifest ${hex}${re.source}`),
    );
    layout.assertUntouched();
  }
});

test('pull: a config that is not JSON, has wrong types or too few diff ids is refused', async (t) => {
  const { layout, store, reg } = await setup(t);
  const layer = await smallLayer();
  const cases: [HostileImage['config'], RegExp][] = [
    [Buffer.from('not json at all'), /: not JSON: /],
    [
      { ...configFor([layer.diffId]), config: { Cmd: 42 } },
      /: config\.Cmd: must be a list of strings, not number 42$/,
    ],
    [
      { ...configFor([layer.diffId]), rootfs: { diff_ids: layer.diffId } },
      /: rootfs\.diff_ids: must be a list of digests/,
    ],
    [configFor([]), /: rootfs\.diff_ids: 0 diff ids for 1 layers$/],
  ];
  for (const [i, [config, re]] of cases.entries()) {
    const img = reg.publish('evil/config', `t${i}`, { config, layers: [layer.blob] });
    await refusedBeforeLayers(
      store,
      reg,
      img.ref,
      img.layerDigests,
      new RegExp(`^invalid image config ${hex}${re.source}`),
    );
    layout.assertUntouched();
  }
});

test('pull: an index naming a manifest by a path-like digest is refused', async (t) => {
  const { layout, store, reg } = await setup(t);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: [
        {
          mediaType: MEDIA.ociManifest,
          digest: PATH_DIGEST,
          size: 10,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    }),
  );
  reg.serve('/v2/evil/index/manifests/1', index, MEDIA.ociIndex);
  await refusedBeforeLayers(
    store,
    reg,
    `${reg.host}/evil/index:1`,
    [],
    new RegExp(
      `^invalid image index ${sha256(index)}: manifests\\[0\\]\\.digest: invalid digest "sha256:\\.\\./\\.\\./victim"$`,
    ),
  );
  layout.assertUntouched();
});
