/**
 * Image metadata is untrusted: digests, diff ids, sizes, types and archive paths that a hostile
 * image carries are refused with one line naming the field (400 from load and import), before
 * any of them becomes a host path. Canaries sit exactly where `layers/../../victim` would land.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { kindOf } from '../../../src/common/errors';
import { imageApi } from '../../../src/engine/images/image-api';
import { DEFAULT_IMAGE_LIMITS } from '../../../src/engine/images/limits';
import { MEDIA } from '../../../src/engine/images/media';
import { ImageStore } from '../../../src/engine/images/store';
import { compress, sha256, tarBuffer, zstdMissing } from '../../helpers/image-builder';
import {
  assertStoreClean,
  BARE_PATH_DIGEST,
  configFor,
  dockerArchive,
  hostileLayout,
  ociArchive,
  PATH_DIGEST,
  smallLayer,
  type HostileLayout,
} from '../../helpers/hostile-images';

type T = { after: (fn: () => void) => void };

function setup(t: T): { layout: HostileLayout; store: ImageStore; load: (b: Buffer) => Promise<string[]> } {
  const layout = hostileLayout(t);
  const store = new ImageStore(layout.root, { ...DEFAULT_IMAGE_LIMITS, minFreeSpace: 0 });
  const api = imageApi(store, () => new Map());
  return { layout, store, load: (b) => api.loadImages(Readable.from([b])) };
}

/** A 400 whose message is one line matching `re`. */
async function refused(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(kindOf(err), 'invalid-argument', `a 400, not ${err.constructor.name}: ${err.message}`);
    assert.match(err.message, re);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
}

/** Puts the parts as a pull leaves them and adds the image, as the API would answer it. */
async function addAsPulled(
  store: ImageStore,
  config: Buffer | object,
  layers: Buffer[],
  mutate: (m: { config: Record<string, unknown>; layers: Record<string, unknown>[] }) => void = () =>
    undefined,
): Promise<unknown> {
  const configBytes = Buffer.isBuffer(config) ? config : Buffer.from(JSON.stringify(config));
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.dockerManifest,
    config: { mediaType: MEDIA.dockerConfig, digest: sha256(configBytes), size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: MEDIA.dockerLayerGzip, digest: sha256(l), size: l.length })),
  };
  mutate(manifest);
  // Only what the manifest names arrives: a pull downloads nothing else.
  const named = JSON.stringify(manifest);
  for (const b of [configBytes, ...layers]) if (named.includes(sha256(b))) store.blobs.put(b);
  const manifestDigest = store.blobs.put(JSON.stringify(manifest));
  return await store.addImage({ manifestDigest, tag: 'hostile:1' });
}

const hex = /sha256:[a-f0-9]{64}/.source;

test('a diff id that is a path (sha256:../../victim) is refused by add, docker load and OCI load; nothing outside the store moves', async (t) => {
  const { layout, store, load } = setup(t);
  const layer = await smallLayer();
  const config = configFor([PATH_DIGEST]);
  const want = new RegExp(
    `^invalid image config ${hex}: rootfs\\.diff_ids\\[0\\]: invalid digest "sha256:\\.\\./\\.\\./victim"$`,
  );
  await refused(addAsPulled(store, config, [layer.blob]), want);
  layout.assertUntouched('after add');
  assertStoreClean(store);
  await refused(load(await dockerArchive({ config, layers: [layer.blob] })), want);
  layout.assertUntouched('after docker load');
  assertStoreClean(store);
  await refused(load((await ociArchive({ config, layers: [layer.blob] })).archive), want);
  layout.assertUntouched('after OCI load');
  assertStoreClean(store);
  // A directory with no layer.json: the failed add's cleanup would have taken it for a layer.
  const bare = configFor([BARE_PATH_DIGEST]);
  for (const attempt of [
    () => addAsPulled(store, bare, [layer.blob]),
    async () => load(await dockerArchive({ config: bare, layers: [layer.blob] })),
  ]) {
    await refused(attempt(), /: rootfs\.diff_ids\[0\]: invalid digest "sha256:\.\.\/\.\.\/bare"$/);
    layout.assertUntouched('after a diff id naming a bare directory');
    assertStoreClean(store);
  }
  // The second of two diff ids, the form an attacker hides it in.
  const two = configFor([layer.diffId, 'sha256:/../../../victim']);
  await refused(
    addAsPulled(store, two, [layer.blob, layer.blob]),
    /rootfs\.diff_ids\[1\]: invalid digest "sha256:\/\.\.\/\.\.\/\.\.\/victim"$/,
  );
  layout.assertUntouched('after a second diff id');
  assertStoreClean(store);
});

test('a layer or config digest that is a path, or of another algorithm, is refused naming the field', async (t) => {
  const { layout, store, load } = setup(t);
  const layer = await smallLayer();
  const config = configFor([layer.diffId]);
  await refused(
    addAsPulled(store, config, [layer.blob], (m) => (m.layers[0].digest = PATH_DIGEST)),
    new RegExp(
      `^invalid image manifest ${hex}: layers\\[0\\]\\.digest: invalid digest "sha256:\\.\\./\\.\\./victim"$`,
    ),
  );
  assertStoreClean(store);
  const sha512 = `sha512:${'ab'.repeat(64)}`;
  await refused(
    addAsPulled(store, config, [layer.blob], (m) => (m.config.digest = sha512)),
    new RegExp(
      `^invalid image manifest ${hex}: config\\.digest: invalid digest "${sha512}": unsupported algorithm sha512, only sha256 is supported$`,
    ),
  );
  assertStoreClean(store);
  await refused(
    load(
      (
        await ociArchive(
          { config, layers: [layer.blob] },
          { mutate: (m) => (m.layers[0].digest = PATH_DIGEST) },
        )
      ).archive,
    ),
    /layers\[0\]\.digest: invalid digest "sha256:\.\.\/\.\.\/victim"$/,
  );
  assertStoreClean(store);
  await refused(
    load(
      (
        await ociArchive(
          { config, layers: [layer.blob] },
          { index: [{ mediaType: MEDIA.ociManifest, digest: sha512, size: 10 }] },
        )
      ).archive,
    ),
    /^invalid archive: index\.json: manifests\[0\]\.digest: invalid digest "sha512:[a-f0-9]+": unsupported algorithm sha512, only sha256 is supported$/,
  );
  layout.assertUntouched();
  assertStoreClean(store);
});

test('a config that is not JSON, or whose fields have the wrong types, is refused by add and load', async (t) => {
  const { layout, store, load } = setup(t);
  const layer = await smallLayer();
  const notJson = Buffer.from('{"rootfs": {"diff_ids": [');
  await refused(
    addAsPulled(store, notJson, [layer.blob]),
    new RegExp(`^invalid image config ${hex}: not JSON: `),
  );
  assertStoreClean(store);
  await refused(load(await dockerArchive({ config: notJson, layers: [layer.blob] })), /: not JSON: /);
  assertStoreClean(store);
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { rootfs: { type: 'layers', diff_ids: layer.diffId } },
      /: rootfs\.diff_ids: must be a list of digests, not string "sha256:/,
    ],
    [{ config: { Cmd: 42 } }, /: config\.Cmd: must be a list of strings, not number 42$/],
    [{ config: { Entrypoint: ['sh', 7] } }, /: config\.Entrypoint\[1\]: must be a string, not number 7$/],
    [{ config: { Env: 'PATH=/bin' } }, /: config\.Env: must be a list of strings, not string "PATH=\/bin"$/],
    [{ config: { WorkingDir: ['/'] } }, /: config\.WorkingDir: must be a string, not a list$/],
    [{ config: { Labels: { a: 1 } } }, /: config\.Labels\["a"\]: must be a string, not number 1$/],
    [{ config: { ExposedPorts: ['80/tcp'] } }, /: config\.ExposedPorts: must be an object, not a list$/],
    [{ config: { Healthcheck: { Test: 'true' } } }, /: config\.Healthcheck\.Test: must be a list of strings/],
    [{ architecture: 64 }, /: architecture: must be a string, not number 64$/],
    [{ config: 'sh' }, /: config: must be an object, not string "sh"$/],
  ];
  for (const [extra, re] of cases) {
    const config = { ...configFor([layer.diffId]), ...extra };
    await refused(addAsPulled(store, config, [layer.blob]), re);
    assertStoreClean(store);
  }
  await refused(
    load(
      await dockerArchive({
        config: { ...configFor([layer.diffId]), config: { Cmd: 42 } },
        layers: [layer.blob],
      }),
    ),
    /: config\.Cmd: must be a list of strings, not number 42$/,
  );
  layout.assertUntouched();
  assertStoreClean(store);
});

test('a manifest with a negative, fractional or huge size is refused by add and OCI load', async (t) => {
  const { layout, store, load } = setup(t);
  const layer = await smallLayer();
  const config = configFor([layer.diffId]);
  for (const [size, shown] of [
    [-1, '-1'],
    [2 ** 60, '1152921504606847000'],
    [1.5, '1.5'],
    ['12', '"12"'],
  ] as const) {
    await refused(
      addAsPulled(store, config, [layer.blob], (m) => (m.layers[0].size = size)),
      new RegExp(
        `: layers\\[0\\]\\.size: must be a whole number of bytes from 0 to 2\\^53, not ${shown.replace('.', '\\.')}$`,
      ),
    );
    assertStoreClean(store);
  }
  await refused(
    load(
      (await ociArchive({ config, layers: [layer.blob] }, { mutate: (m) => (m.config.size = -5) })).archive,
    ),
    /: config\.size: must be a whole number of bytes from 0 to 2\^53, not -5$/,
  );
  layout.assertUntouched();
  assertStoreClean(store);
});

test('archive entries whose names or link targets leave the archive are refused (docker archive)', async (t) => {
  const { layout, store, load } = setup(t);
  const layer = await smallLayer();
  const config = configFor([layer.diffId]);
  for (const [extra, name] of [
    [[{ name: '../../victim/evil.json' }, '{}'], '../../victim/evil.json'],
    [[{ name: 'a/../../victim/layer.tar' }, 'x'], 'a/../../victim/layer.tar'],
    [[{ name: 'up', type: 'symlink', linkname: '../../victim' }], '../../victim'],
    [[{ name: 'hard', type: 'link', linkname: '../secret' }], '../secret'],
  ] as const) {
    await refused(
      load(
        await dockerArchive(
          { config, layers: [layer.blob] },
          { extra: [extra as unknown as [{ name: string }, string?]] },
        ),
      ),
      new RegExp(`^invalid archive: entry "${name.replace(/\./g, '\\.')}": the path leaves the archive$`),
    );
    layout.assertUntouched();
    assertStoreClean(store);
  }
  // The same archive without the hostile entry loads: only the entry was at fault.
  assert.deepEqual(await load(await dockerArchive({ config, layers: [layer.blob] })), [
    'Loaded image: hostile:1',
  ]);
});

test(
  'a zstd or gzip layer cut short is a one-line 400 naming the layer and saying it is truncated',
  { skip: zstdMissing() },
  async (t) => {
    const { layout, store, load } = setup(t);
    const plain = await tarBuffer([[{ name: 'data' }, Buffer.alloc(300_000, 7)]]);
    for (const c of ['zstd', 'gzip'] as const) {
      const full = compress(plain, c);
      // Only the trailer goes (gzip's length, zstd's checksum): every byte of the tar still comes
      // out, so it is the decompressor's end, not the tar reader, that finds the stream short.
      const cut = full.subarray(0, full.length - 4);
      const config = configFor([sha256(plain)]);
      await refused(
        load((await ociArchive({ config, layers: [cut] })).archive),
        new RegExp(`^layer ${hex}: ${c}: .*\\(the stream is truncated\\)$`),
      );
      layout.assertUntouched();
      assertStoreClean(store);
    }
  },
);
