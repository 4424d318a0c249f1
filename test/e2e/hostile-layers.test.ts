/**
 * Hostile layer tars through the real CLI and daemon, `image import` and `image load`: each
 * fails with one line, the daemon that answered is the one still running (same pid), and the
 * host canaries outside the state root are untouched.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { plantCanaries } from '../helpers/canaries';
import { useCliEngine } from '../helpers/cli-engine';
import { cutTar, withHeaderField, withPaxSize } from '../helpers/hostile-tar';
import { sha256, tarBuffer } from '../helpers/image-builder';

describe('hostile layers against the daemon', () => {
  const { dir, runRoot, cli } = useCliEngine('tscompose-hostile-');
  const daemonPid = (): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')).pid);

  const dockerArchive = (layer: Buffer): Promise<Buffer> =>
    tarBuffer([
      [
        { name: 'manifest.json' },
        JSON.stringify([{ Config: 'config.json', RepoTags: ['hostile:1'], Layers: ['l.tar'] }]),
      ],
      [
        { name: 'config.json' },
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
        }),
      ],
      [{ name: 'l.tar' }, layer],
    ]);

  test('import and load of each fail with one line; the same daemon serves on', async (t) => {
    const c = plantCanaries(t);
    const big = await tarBuffer([[{ name: 'etc/big' }, Buffer.alloc(4096, 1)]]);
    const cases: [string, Buffer, RegExp][] = [
      ['cut tar', cutTar(big, 512 + 1000), /ends inside an entry/],
      ['8 GiB size', withHeaderField(big, 0, 'size', 8 * 1024 ** 3), /ends inside an entry/],
      ['PAX size', await withPaxSize('f', 'data', '99999999999999999999'), /PAX size/],
      [
        'hard link through a symlink',
        await tarBuffer([
          [{ name: 'a', type: 'symlink', linkname: c.dir }],
          [{ name: 'x', type: 'link', linkname: 'a/secret' }],
        ]),
        /escapes the layer through a symlink/,
      ],
      ['whiteout of ..', await tarBuffer([[{ name: 'sub/.wh...' }]]), /whiteout of no file/],
    ];
    assert.equal(cli('image', 'ls').status, 0);
    const pid = daemonPid();
    for (const [what, layer, re] of cases) {
      const file = path.join(dir, 'layer.tar');
      fs.writeFileSync(file, layer);
      const imp = cli('image', 'import', file, 'hostile:1');
      assert.notEqual(imp.status, 0, `import of ${what} succeeded`);
      assert.match(imp.stderr, re, what);
      assert.equal(imp.stderr.trim().split('\n').length, 1, `one line: ${imp.stderr}`);
      fs.writeFileSync(file, await dockerArchive(layer));
      const load = cli('image', 'load', '-i', file);
      assert.notEqual(load.status, 0, `load of ${what} succeeded`);
      assert.match(load.stderr, re, what);
      assert.equal(daemonPid(), pid, `the daemon died on ${what}`);
      c.assertUntouched(`host canaries changed by ${what}`);
    }
    assert.equal(cli('image', 'inspect', 'hostile:1').status, 1, 'no image was stored');
    const run = cli('container', 'run', '--rm', 'busybox', 'echo', 'alive');
    assert.equal(run.stdout.trim(), 'alive', run.stderr);
    assert.equal(daemonPid(), pid);
  });
});
