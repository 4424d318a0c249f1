import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { ImageStore } from '../../../src/engine/images/store';

const BUSYBOX = '/bin/busybox';

/** A root file system tar made from Debian's busybox-static. */
function rootfsTar(): Readable {
  const pack = tar.pack();
  const mtime = new Date('2024-01-01T00:00:00Z');
  pack.entry({ name: 'bin/', type: 'directory', mode: 0o755, mtime });
  pack.entry({ name: 'bin/busybox', mode: 0o755, mtime }, fs.readFileSync(BUSYBOX));
  pack.entry({ name: 'bin/sh', type: 'symlink', linkname: 'busybox', mtime });
  pack.entry(
    { name: 'etc/passwd', mode: 0o644, mtime },
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n',
  );
  pack.finalize();
  return pack as unknown as Readable;
}

test(
  'import: a rootfs tar becomes a tagged one-layer image with the changes applied',
  { skip: !fs.existsSync(BUSYBOX) && 'busybox-static is not installed' },
  async (t) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-images-'));
    t.after(() => fs.rmSync(root, { recursive: true, force: true }));
    const store = new ImageStore(root);
    const img = await store.importRootfs(rootfsTar(), {
      tag: 'busybox:test',
      changes: [
        'CMD ["sh"]',
        'ENV A=1 B="two words"',
        'WORKDIR /srv',
        'USER app',
        'EXPOSE 8080',
        'ENTRYPOINT echo hi',
      ],
    });
    assert.deepEqual(img.config.config, {
      Cmd: ['sh'],
      Env: ['A=1', 'B=two words'],
      WorkingDir: '/srv',
      User: 'app',
      ExposedPorts: { '8080/tcp': {} },
      Entrypoint: ['/bin/sh', '-c', 'echo hi'],
    });
    assert.equal(img.layerDirs.length, 1);
    assert.ok(fs.statSync(path.join(img.layerDirs[0], 'bin/busybox')).mode & 0o111);
    assert.equal(fs.realpathSync(path.join(root, img.layerLinks[0])), img.layerDirs[0]);
    assert.deepEqual(store.tags(), { 'docker.io/library/busybox:test': img.manifestDigest });
    assert.equal(store.resolve('busybox:test').id, img.id);
    assert.equal(store.resolve('docker.io/library/busybox:test').manifestDigest, img.manifestDigest);
    assert.equal(store.resolve(`busybox@${img.manifestDigest}`).id, img.id);
    assert.equal(store.resolve(img.id).manifestDigest, img.manifestDigest);
    assert.throws(() => store.resolve('busybox:nope'), /No such image: busybox:nope/);

    const again = await store.importRootfs(rootfsTar(), { tag: 'other' });
    assert.equal(again.config.rootfs.diff_ids[0], img.config.rootfs.diff_ids[0], 'same bytes, same layer');
    assert.deepEqual(fs.readdirSync(path.join(root, 'layers')).length, 1);
    assert.deepEqual(fs.readdirSync(path.join(root, 'ingest')), []);
    await assert.rejects(
      store.importRootfs(rootfsTar(), { changes: ['FROM x'] }),
      /not a valid change command/,
    );
  },
);
