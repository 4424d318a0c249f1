/**
 * Hostile layer tars against the unpacker: symlinks of the layer's own leading entries, hard
 * links, times, owners and whiteouts out of it; broken and oversized headers; the size limit and
 * the free-space reserve. Host canaries outside the layer prove nothing there changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { unpackLayer, type UnpackLimits } from '../../../src/engine/images/unpack';
import { DEFAULT_IMAGE_LIMITS } from '../../../src/engine/images/limits';
import { plantCanaries } from '../../helpers/canaries';
import { tarBuffer, type TarEntry } from '../../helpers/image-builder';
import { cutTar, withHeaderField, withPaxSize } from '../../helpers/hostile-tar';

const MiB = 1024 * 1024;

/** A layer dir inside a "store" dir that also holds a file of its own, to see a whiteout climb out. */
function layerDir(t: { after: (fn: () => void) => void }): { dest: string; assertStoreIntact: () => void } {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-hostile-'));
  t.after(() => fs.rmSync(store, { recursive: true, force: true }));
  fs.writeFileSync(path.join(store, 'keep'), 'kept\n');
  const dest = path.join(store, 'layer');
  return {
    dest,
    assertStoreIntact: () => {
      assert.equal(
        fs.readFileSync(path.join(store, 'keep'), 'utf8'),
        'kept\n',
        'the store around the layer changed',
      );
      assert.ok(fs.lstatSync(dest).isDirectory(), 'the layer directory itself was replaced');
    },
  };
}

async function unpack(
  tar: TarEntry[] | Buffer,
  dest: string,
  limits?: UnpackLimits,
): Promise<{ size: number }> {
  const buf = Buffer.isBuffer(tar) ? tar : await tarBuffer(tar);
  return unpackLayer(Readable.from([buf]), dest, limits);
}

/** Refused with one line of BAD_LAYER (or `code`) whose message matches `re`. */
async function refused(
  tar: TarEntry[] | Buffer,
  dest: string,
  re: RegExp,
  opts: { limits?: UnpackLimits; code?: string } = {},
): Promise<void> {
  await assert.rejects(unpack(tar, dest, opts.limits), (err: Error & { code?: string }) => {
    assert.equal(err.code, opts.code ?? 'BAD_LAYER', `${err.message}`);
    assert.match(err.message, re);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
}

test('a hard link through the layer own symlink cannot expose a host file', async (t) => {
  const c = plantCanaries(t);
  for (const link of [c.dir, `../../${path.relative(os.tmpdir(), c.dir)}`]) {
    const { dest, assertStoreIntact } = layerDir(t);
    await refused(
      [[{ name: 'a', type: 'symlink', linkname: link }], [{ name: 'x', type: 'link', linkname: 'a/secret' }]],
      dest,
      /"x" escapes the layer through a symlink/,
    );
    assert.equal(fs.existsSync(path.join(dest, 'x')), false);
    assertStoreIntact();
  }
  const { dest } = layerDir(t);
  await refused(
    [[{ name: 'd/', type: 'directory' }], [{ name: 'x', type: 'link', linkname: 'd' }]],
    dest,
    /links to a directory/,
  );
  c.assertUntouched();
});

test('no directory or file is created through a symlink, not even the missing parents', async (t) => {
  const c = plantCanaries(t);
  const cases: TarEntry[][] = [
    [[{ name: 'new/sub/', type: 'directory' }]],
    [[{ name: 'new/deeper/file' }, 'x']],
    [[{ name: 'file' }, 'overwritten?']],
    [[{ name: 'sub/inner' }, 'overwritten?']],
    [[{ name: 'sub/', type: 'directory', mode: 0o777 }]],
  ];
  for (const entries of cases) {
    const { dest, assertStoreIntact } = layerDir(t);
    await refused(
      [
        [{ name: 'a', type: 'symlink', linkname: c.dir }],
        ...entries.map(([h, b]): TarEntry => [{ ...h, name: `a/${h.name}` }, b]),
      ],
      dest,
      /escapes the layer through a symlink/,
    );
    assertStoreIntact();
  }
  c.assertUntouched();
});

test('an absolute symlink, or one climbing out, leads no entry; one inside the layer still does', async (t) => {
  const c = plantCanaries(t);
  for (const linkname of ['/', c.dir, '../../../../../../../..' + c.dir]) {
    const { dest } = layerDir(t);
    await refused(
      [
        [{ name: 'abs', type: 'symlink', linkname }],
        [
          {
            name: `abs/${linkname === '/' ? path.relative('/', c.dir) + '/' : ''}made/here/`,
            type: 'directory',
          },
        ],
      ],
      dest,
      /escapes the layer through a symlink/,
    );
  }
  const { dest } = layerDir(t);
  await unpack(
    [
      [{ name: 'usr/lib/', type: 'directory' }],
      [{ name: 'lib', type: 'symlink', linkname: 'usr/lib' }],
      [{ name: 'lib/libc.so' }, 'elf'],
      [{ name: 'usr/bin/', type: 'directory' }],
      [{ name: 'usr/bin/up', type: 'symlink', linkname: '../../lib' }],
      [{ name: 'usr/bin/up/libm.so' }, 'elf'],
      [{ name: 'lib/libc-link', type: 'link', linkname: 'lib/libc.so' }],
    ],
    dest,
  );
  assert.equal(fs.readFileSync(path.join(dest, 'usr/lib/libc.so'), 'utf8'), 'elf');
  assert.equal(fs.readFileSync(path.join(dest, 'usr/lib/libm.so'), 'utf8'), 'elf');
  assert.equal(fs.statSync(path.join(dest, 'usr/lib/libc-link')).nlink, 2);
  c.assertUntouched();
});

test('times, owners and modes are never set through a symlink', async (t) => {
  const c = plantCanaries(t);
  const mtime = new Date('2030-01-01T00:00:00Z');
  const { dest } = layerDir(t);
  await unpack(
    [
      // a directory's time is set at the end, when a later entry has made its name a symlink
      [{ name: 'd/', type: 'directory', mtime }],
      [{ name: 'd', type: 'symlink', linkname: c.dir, mtime }],
      [{ name: 'f', type: 'symlink', linkname: c.file, mtime, uid: 4242, gid: 4242 }],
      [{ name: 'lib/', type: 'directory', mtime }],
      [{ name: 'lib', type: 'symlink', linkname: c.sub, mtime }],
    ],
    dest,
  );
  assert.equal(fs.lstatSync(path.join(dest, 'f')).uid, 4242, 'the symlink itself is chowned');
  for (const entries of [
    [[{ name: 'a/new/secret', mode: 0o4777, uid: 4242, mtime }, 'x']],
    [[{ name: 'a/sub/', type: 'directory', mode: 0o777, uid: 4242, mtime }]],
    [[{ name: 'a/secret', mode: 0o4777, uid: 4242, mtime }, 'x']],
  ] as TarEntry[][]) {
    const l = layerDir(t);
    await refused(
      [[{ name: 'a', type: 'symlink', linkname: c.dir }], ...entries],
      l.dest,
      /through a symlink/,
    );
  }
  c.assertUntouched();
});

test('a whiteout never removes the layer, its parents or anything through a symlink', async (t) => {
  const c = plantCanaries(t);
  for (const name of ['.wh...', 'sub/.wh...', '.wh..', 'sub/.wh..', '.wh.', 'sub/.wh.']) {
    const { dest, assertStoreIntact } = layerDir(t);
    await refused(
      [[{ name: 'sub/', type: 'directory' }], [{ name: 'sub/file' }, 'x'], [{ name }, '']],
      dest,
      /whiteout of no file/,
    );
    assertStoreIntact();
    assert.ok(fs.existsSync(path.join(dest, 'sub/file')), `${name} removed the layer's own files`);
  }
  const { dest, assertStoreIntact } = layerDir(t);
  await unpack([[{ name: 'l', type: 'symlink', linkname: c.dir }], [{ name: '.wh.l' }]], dest);
  assert.ok(fs.lstatSync(path.join(dest, 'l')).isCharacterDevice(), 'the symlink itself is whited out');
  const l = layerDir(t);
  await refused(
    [
      [{ name: 'l', type: 'symlink', linkname: c.dir }],
      [{ name: 'l/.wh.secret' }],
      [{ name: 'l/.wh..wh..opq' }],
    ],
    l.dest,
    /through a symlink/,
  );
  assertStoreIntact();
  c.assertUntouched();
});

test('a tar cut inside an entry, or with a negative or an 8 GiB size, is one error', async (t) => {
  const good = await tarBuffer([
    [{ name: 'etc/', type: 'directory' }],
    [{ name: 'etc/big' }, Buffer.alloc(4096, 1)],
    [{ name: 'etc/after' }, 'x'],
  ]);
  const cases: [string, Buffer, RegExp][] = [
    ['cut in the data', cutTar(good, 1024 + 1000), /ends inside an entry/],
    ['cut in a header', cutTar(good, 1024 + 512 * 9 + 100), /ends inside an entry/],
    ['negative size', withHeaderField(good, 1, 'size', -5), /broken|bad size/],
    ['8 GiB size', withHeaderField(good, 1, 'size', 8 * 1024 ** 3), /ends inside an entry|claims/],
    ['2^80 size', withHeaderField(good, 1, 'size', 2 ** 80), /bad size|claims/],
  ];
  for (const [what, tar, re] of cases) {
    const { dest } = layerDir(t);
    await refused(tar, dest, re).catch((err: Error) => assert.fail(`${what}: ${err.message}`));
  }
  const { dest } = layerDir(t);
  await refused(withHeaderField(good, 1, 'size', 8 * 1024 ** 3), dest, /claims 8589934592 bytes/, {
    limits: { ...DEFAULT_IMAGE_LIMITS, maxLayerSize: 1024 ** 3 },
  });
});

test('a PAX size out of range, negative or not a number is one error', async (t) => {
  for (const size of ['99999999999999999999', '-1', 'abc', '12abc', '1e3']) {
    const { dest } = layerDir(t);
    await refused(await withPaxSize('etc/f', 'data', size), dest, /PAX size|broken/).catch((err: Error) =>
      assert.fail(`size=${size}: ${err.message}`),
    );
  }
});

test('a layer stops at max-layer-size', async (t) => {
  const { dest } = layerDir(t);
  const limits = { ...DEFAULT_IMAGE_LIMITS, maxLayerSize: 10_000 };
  const entries: TarEntry[] = [
    [{ name: 'a' }, Buffer.alloc(6000)],
    [{ name: 'b' }, Buffer.alloc(6000)],
  ];
  await refused(entries, dest, /more than 10000 bytes \(max-layer-size\) at "b"/, { limits });
  assert.equal((await unpack(entries.slice(0, 1), layerDir(t).dest, limits)).size, 6000);
});

test('unpacking stops at the free-space reserve of the file system under the layer', async (t) => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tsc-unpack-test', mnt]);
  t.after(() => {
    execFileSync('umount', [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });
  const limits = { ...DEFAULT_IMAGE_LIMITS, minFreeSpace: 20 * MiB };
  const dest = path.join(mnt, 'layer');
  // 8 MiB fit above the reserve; a 24 MiB file would cross it while being written
  assert.equal((await unpack([[{ name: 'fits' }, Buffer.alloc(8 * MiB, 1)]], dest, limits)).size, 8 * MiB);
  fs.rmSync(dest, { recursive: true });
  await refused(
    [[{ name: 'big' }, Buffer.alloc(24 * MiB, 1)]],
    dest,
    /below the reserve of 20971520 \(min-free-space\)/,
    {
      limits,
      code: 'NO_SPACE',
    },
  );
  const free = fs.statfsSync(mnt);
  assert.ok(free.bavail * free.bsize > 4 * MiB, 'stopped well before the file system was full');
});
