import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findImageFile } from '../../../src/engine/containers/layer-files';
import { ImageStore } from '../../../src/engine/images/store';
import { enginePaths } from '../../../src/engine-api/paths';
import { BUSYBOX_PATH, busyboxLayers, busyboxMissing, importBusybox } from '../../helpers/busybox-image';

test(
  'busybox fixture: three layers, imported as one image, every special file intact',
  { skip: busyboxMissing() },
  async (t) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-busybox-'));
    t.after(() => fs.rmSync(root, { recursive: true, force: true }));
    const store = new ImageStore(enginePaths({ TSCOMPOSE_ROOT: root }).images);

    const { layers } = busyboxLayers();
    assert.equal(layers.length, 3);
    assert.deepEqual(busyboxLayers().layers, layers, 'cached: the same tars again');

    const imported = await importBusybox(store);
    const img = store.resolve('busybox');
    assert.equal(img.manifestDigest, imported.manifestDigest);
    assert.deepEqual(img.config.config, { Cmd: ['sh'], Env: [`PATH=${BUSYBOX_PATH}`] });
    assert.equal(img.config.rootfs.diff_ids.length, 3);
    assert.equal(img.config.history?.length, 3);
    assert.equal(img.layerDirs.length, 3);
    const [top, middle, bottom] = img.layerDirs;

    const bb = fs.statSync(path.join(bottom, 'bin/busybox'));
    assert.ok(bb.isFile() && (bb.mode & 0o111) !== 0);
    assert.equal(fs.readlinkSync(path.join(bottom, 'bin/sh')), 'busybox');
    assert.equal(fs.readlinkSync(path.join(bottom, 'usr/bin/env')), '/bin/busybox');
    assert.match(fs.readFileSync(path.join(bottom, 'etc/passwd'), 'utf8'), /^app:x:1000:1000:/m);
    assert.match(fs.readFileSync(path.join(bottom, 'etc/group'), 'utf8'), /^staff:x:50:app$/m);
    assert.equal(fs.statSync(path.join(bottom, 'tmp')).mode & 0o7777, 0o1777);
    const home = fs.statSync(path.join(bottom, 'home/app'));
    assert.deepEqual([home.uid, home.gid], [1000, 1000]);
    assert.equal(fs.existsSync(path.join(bottom, 'etc/hostname')), false);

    const dev = fs.statSync(path.join(middle, 'opt/dev/null-copy'));
    assert.ok(dev.isCharacterDevice());
    assert.equal(dev.rdev, 0x103);
    assert.ok(fs.statSync(path.join(middle, 'opt/fifo')).isFIFO());
    assert.equal(fs.statSync(path.join(middle, 'opt/suid')).mode & 0o7777, 0o4755);
    const keep = fs.statSync(path.join(middle, 'opt/data/keep.txt'));
    assert.equal(fs.statSync(path.join(middle, 'opt/data/hard')).ino, keep.ino);
    assert.equal(keep.nlink, 2);
    assert.ok(fs.existsSync(path.join(middle, 'opt/data/gone.txt')));

    const whiteout = fs.statSync(path.join(top, 'opt/data/gone.txt'));
    assert.ok(whiteout.isCharacterDevice());
    assert.equal(whiteout.rdev, 0);
    assert.equal(fs.readFileSync(path.join(top, 'opt/data/new.txt'), 'utf8'), 'new\n');

    // What the container will see through the overlay, read the way the spec builder reads /etc/passwd.
    assert.equal(findImageFile(img.layerDirs, '/opt/data/gone.txt'), undefined);
    assert.equal(findImageFile(img.layerDirs, '/opt/data/keep.txt'), path.join(middle, 'opt/data/keep.txt'));
    assert.equal(findImageFile(img.layerDirs, '/usr/bin/env'), path.join(bottom, 'bin/busybox'));

    const again = await importBusybox(store, 'busybox:again');
    assert.deepEqual(again.config.rootfs.diff_ids, img.config.rootfs.diff_ids, 'same tars, same layers');
    assert.equal(fs.readdirSync(path.join(store.root, 'layers')).length, 3, 'no layer unpacked twice');
  },
);
