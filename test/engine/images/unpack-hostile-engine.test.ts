/**
 * The hostile layers of unpack-hostile.test.ts through the engine's own paths, `image import`
 * (importRootfs) and `image load` of a docker archive: one error each, the host canaries
 * untouched, no partial layer left in the store, and the same engine goes on serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { enginePaths } from '../../../src/engine-api/paths';
import { plantCanaries } from '../../helpers/canaries';
import { startTestEngine } from '../../helpers/engine';
import { cutTar, withHeaderField, withPaxSize } from '../../helpers/hostile-tar';
import { sha256, tarBuffer } from '../../helpers/image-builder';

async function dockerArchive(layer: Buffer, tag: string): Promise<Buffer> {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
  });
  const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: [tag], Layers: ['layer.tar'] }]);
  return tarBuffer([
    [{ name: 'manifest.json' }, manifest],
    [{ name: 'config.json' }, config],
    [{ name: 'layer.tar' }, layer],
  ]);
}

test('hostile layers through image import and image load: one error each, the engine serves on', async (t) => {
  const c = plantCanaries(t);
  const te = await startTestEngine();
  t.after(() => te.close());
  const { engine } = te;
  const layersDir = path.join(enginePaths({ TSCOMPOSE_ROOT: te.root }).images, 'layers');
  const imagesBefore = (await engine.listImages()).length;

  const big = await tarBuffer([
    [{ name: 'etc/', type: 'directory' }],
    [{ name: 'etc/big' }, Buffer.alloc(4096, 1)],
  ]);
  const cases: [string, Buffer, RegExp][] = [
    [
      'hard link through a symlink',
      await tarBuffer([
        [{ name: 'a', type: 'symlink', linkname: c.dir }],
        [{ name: 'x', type: 'link', linkname: 'a/secret' }],
      ]),
      /escapes the layer through a symlink/,
    ],
    [
      'directories through a symlink',
      await tarBuffer([
        [{ name: 'a', type: 'symlink', linkname: c.dir }],
        [{ name: 'a/made/here/', type: 'directory' }],
      ]),
      /escapes the layer through a symlink/,
    ],
    ['whiteout of ..', await tarBuffer([[{ name: 'sub/.wh...' }]]), /whiteout of no file/],
    ['cut tar', cutTar(big, 1024 + 700), /ends inside an entry/],
    ['8 GiB size', withHeaderField(big, 1, 'size', 8 * 1024 ** 3), /ends inside an entry/],
    ['negative size', withHeaderField(big, 1, 'size', -1), /broken/],
    ['PAX size', await withPaxSize('f', 'data', '99999999999999999999'), /PAX size/],
  ];
  for (const [what, layer, re] of cases) {
    await assert.rejects(engine.importImage(Readable.from([layer])), re, `import: ${what}`);
    await assert.rejects(
      engine.loadImages(Readable.from([await dockerArchive(layer, 'hostile:1')])),
      re,
      `load: ${what}`,
    );
    c.assertUntouched(`host canaries changed by ${what}`);
    const left = fs.readdirSync(layersDir).filter((n) => !/^[a-f0-9]{64}$/.test(n));
    assert.deepEqual(left, [], `partial layers left by ${what}`);
  }

  const ok = await engine.importImage(
    Readable.from([await tarBuffer([[{ name: 'fine' }, 'still serving']])]),
  );
  assert.match(ok.Id, /^sha256:[a-f0-9]{64}$/);
  assert.equal((await engine.listImages()).length, imagesBefore + 1);
});
