import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { unpackLayer } from '../../../src/engine/images/unpack';

type Entry = [Partial<tar.Header> & { name: string }, string?];

function layer(entries: Entry[]): Readable {
  const pack = tar.pack();
  for (const [header, body] of entries) pack.entry(header, body ?? '');
  pack.finalize();
  return pack as unknown as Readable;
}

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-unpack-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const mtime = new Date('2024-01-02T03:04:05Z');

test('files, dirs, symlinks, hard links, setuid bits, owners, devices and FIFOs survive unpacking', async (t) => {
  const dest = path.join(tmp(t), 'layer');
  await unpackLayer(
    layer([
      [{ name: 'bin/', type: 'directory', mode: 0o755, mtime }],
      [{ name: 'bin/busybox', type: 'file', mode: 0o4755, uid: 0, gid: 0, mtime }, 'ELF...'],
      [{ name: 'bin/sh', type: 'symlink', linkname: 'busybox', mtime }],
      [{ name: 'bin/ash', type: 'link', linkname: 'bin/busybox', mtime }],
      [{ name: 'home/app/notes', type: 'file', mode: 0o640, uid: 1000, gid: 1000, mtime }, 'hi'],
      [{ name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3, mtime }],
      [{ name: 'dev/loop0', type: 'block-device', mode: 0o660, devmajor: 7, devminor: 0, mtime }],
      [{ name: 'run/pipe', type: 'fifo', mode: 0o644, mtime }],
    ]),
    dest,
  );
  const bb = fs.statSync(path.join(dest, 'bin/busybox'));
  assert.equal(bb.mode & 0o7777, 0o4755);
  assert.equal(bb.mtime.getTime(), mtime.getTime());
  assert.equal(fs.readlinkSync(path.join(dest, 'bin/sh')), 'busybox');
  assert.equal(fs.statSync(path.join(dest, 'bin/ash')).ino, bb.ino);
  const notes = fs.statSync(path.join(dest, 'home/app/notes'));
  assert.deepEqual([notes.uid, notes.gid, notes.mode & 0o777], [1000, 1000, 0o640]);
  const nul = fs.statSync(path.join(dest, 'dev/null'));
  assert.ok(nul.isCharacterDevice());
  assert.equal(nul.rdev, 0x103);
  assert.ok(fs.statSync(path.join(dest, 'dev/loop0')).isBlockDevice());
  assert.ok(fs.statSync(path.join(dest, 'run/pipe')).isFIFO());
  assert.equal(fs.statSync(path.join(dest, 'bin')).mtime.getTime(), mtime.getTime());
});

test('whiteouts become 0:0 character devices and opaque directories get the overlay xattr', async (t) => {
  const dest = path.join(tmp(t), 'layer');
  await unpackLayer(
    layer([
      [{ name: 'etc/.wh.motd', type: 'file', mode: 0o644, mtime }, ''],
      [{ name: 'var/cache/.wh..wh..opq', type: 'file', mode: 0o644, mtime }, ''],
    ]),
    dest,
  );
  const wh = fs.statSync(path.join(dest, 'etc/motd'));
  assert.ok(wh.isCharacterDevice());
  assert.equal(wh.rdev, 0);
  assert.equal(fs.existsSync(path.join(dest, 'etc/.wh.motd')), false);
  const xattr = execFileSync(
    'getfattr',
    ['--only-values', '-n', 'trusted.overlay.opaque', path.join(dest, 'var/cache')],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(xattr, 'y');
});

test('entries cannot escape the layer, not even through a symlink', async (t) => {
  const root = tmp(t);
  const dest = path.join(root, 'layer');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  await assert.rejects(
    unpackLayer(
      layer([
        [{ name: 'evil', type: 'symlink', linkname: outside, mtime }],
        [{ name: 'evil/owned', type: 'file', mode: 0o644, mtime }, 'x'],
      ]),
      dest,
    ),
    /escapes the layer through a symlink/,
  );
  assert.deepEqual(fs.readdirSync(outside), []);
  await unpackLayer(layer([[{ name: '../../up', type: 'file', mode: 0o644, mtime }, 'x']]), dest);
  assert.ok(fs.existsSync(path.join(dest, 'up')), 'a `..` path is clamped inside the layer');
  assert.equal(fs.existsSync(path.join(root, 'up')), false);
});

test('xattrs from PAX records, symlink owners, setgid and sticky dirs, replaced entries, directory whiteouts', async (t) => {
  const dest = path.join(tmp(t), 'layer');
  await unpackLayer(
    layer([
      [{ name: 'srv/', type: 'directory', mode: 0o2775, gid: 50, mtime }],
      [{ name: 'srv/shared/', type: 'directory', mode: 0o1777, mtime }],
      [
        {
          name: 'srv/tagged',
          type: 'file',
          mode: 0o644,
          mtime,
          pax: { 'SCHILY.xattr.user.mime_type': 'text/plain', 'SCHILY.xattr.trusted.note': 'kept' },
        },
        'x',
      ],
      [{ name: 'srv/link', type: 'symlink', linkname: 'tagged', uid: 1000, gid: 1000, mtime }],
      [{ name: 'srv/suid', type: 'file', mode: 0o4711, mtime }, '#!/bin/sh\n'],
      [{ name: 'srv/suid-too', type: 'link', linkname: 'srv/suid', mtime }],
      [{ name: 'srv/swap', type: 'file', mode: 0o644, mtime }, 'first a file'],
      [{ name: 'srv/swap/', type: 'directory', mode: 0o755, mtime }],
      [{ name: 'srv/swap/inside', type: 'file', mode: 0o644, mtime }, 'then a dir'],
      [{ name: 'var/lib/', type: 'directory', mode: 0o755, mtime }],
      [{ name: 'var/lib/.wh.apt', type: 'file', mode: 0o644, mtime }],
    ]),
    dest,
  );
  const srv = fs.statSync(path.join(dest, 'srv'));
  assert.deepEqual([srv.mode & 0o7777, srv.gid], [0o2775, 50]);
  assert.equal(fs.statSync(path.join(dest, 'srv/shared')).mode & 0o7777, 0o1777);
  const attr = (name: string) =>
    execFileSync('getfattr', ['--only-values', '-n', name, path.join(dest, 'srv/tagged')], {
      encoding: 'utf8',
    });
  assert.equal(attr('user.mime_type'), 'text/plain');
  assert.equal(attr('trusted.note'), 'kept');
  const link = fs.lstatSync(path.join(dest, 'srv/link'));
  assert.deepEqual([link.isSymbolicLink(), link.uid, link.gid], [true, 1000, 1000]);
  const suid = fs.statSync(path.join(dest, 'srv/suid'));
  const again = fs.statSync(path.join(dest, 'srv/suid-too'));
  assert.deepEqual([again.ino, again.mode & 0o7777, suid.nlink], [suid.ino, 0o4711, 2]);
  assert.equal(fs.readFileSync(path.join(dest, 'srv/swap/inside'), 'utf8'), 'then a dir');
  const apt = fs.statSync(path.join(dest, 'var/lib/apt'));
  assert.ok(apt.isCharacterDevice() && apt.rdev === 0, 'a whiteout also hides a whole directory');
});
