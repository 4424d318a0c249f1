/**
 * Volumes on a real engine: named and anonymous ones, copy-up, the local driver's options,
 * `--volumes-from`, in-use refusals, prune and bad names.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../../src/common/errors';
import type { ContainerCreateBody } from '../../../src/engine-api/container/types';
import { lgetxattr } from '../../../src/platform/linux/fs-nodes';
import { BUSYBOX_PATH, busyboxLayers } from '../../helpers/busybox-image';
import { useTestEngine } from '../../helpers/engine-suite';
import { tarBuffer } from '../../helpers/image-builder';

const sh = (script: string): string[] => ['sh', '-c', script];
const mtime = new Date('2024-01-02T03:04:05Z');

/** A host directory outside the store that no copy may reach. */
const CANARY = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-vol-canary-'));

/** busybox plus a layer with owners, modes and symlinks under /vol (a VOLUME) and /escape. */
async function volImageLayer(): Promise<Readable> {
  const rel = path.relative('/', CANARY);
  return Readable.from(
    await tarBuffer([
      [{ name: 'vol/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000, mtime }],
      [
        {
          name: 'vol/owned.txt',
          mode: 0o640,
          uid: 1000,
          gid: 50,
          mtime,
          pax: { 'SCHILY.xattr.user.kept': 'yes' },
        },
        'owned\n',
      ],
      [{ name: 'vol/suid', mode: 0o4755, mtime }, '#!/bin/sh\n'],
      [{ name: 'vol/abs', type: 'symlink', linkname: CANARY, mtime }],
      [{ name: 'vol/up', type: 'symlink', linkname: `../../../../../../${rel}`, mtime }],
      [{ name: 'vol/sub/', type: 'directory', mode: 0o700, uid: 65534, gid: 65534, mtime }],
      [{ name: 'vol/sub/deep.txt', mode: 0o600, mtime }, 'deep\n'],
      // A volume over /escape resolves inside the image: to its own /<canary path>, not the host's.
      [{ name: 'escape', type: 'symlink', linkname: `../../../../${rel}`, mtime }],
    ]),
  );
}

function hostFile(p: string): string {
  return fs.readFileSync(p, 'utf8');
}

describe('volumes', () => {
  const suite = useTestEngine({
    beforeStart: async (store) => {
      await store.importLayers(
        [...busyboxLayers().layers.map((l) => fs.createReadStream(l)), await volImageLayer()],
        {
          tag: 'voltest:latest',
          config: { Cmd: ['sh'], Env: [`PATH=${BUSYBOX_PATH}`], Volumes: { '/vol': {} } },
        },
      );
      fs.writeFileSync(path.join(CANARY, 'canary.txt'), 'canary\n');
    },
  });
  after(() => fs.rmSync(CANARY, { recursive: true, force: true }));
  const e = () => suite.t.engine;
  const run = (body: Omit<ContainerCreateBody, 'Image'> & { Image?: string }) => suite.t.run(body);

  test('a named volume keeps its data across container removal; inspect shows it as docker', async () => {
    const w = await run({ Cmd: sh('echo kept > /d/f'), HostConfig: { Binds: ['keep1:/d'] } });
    assert.equal(w.exitCode, 0, w.stderr);
    const r = await run({ Cmd: sh('cat /d/f'), HostConfig: { Binds: ['keep1:/d:ro'] } });
    assert.equal(r.stdout, 'kept\n');
    const v = await e().inspectVolume('keep1');
    assert.equal(v.Driver, 'local');
    assert.equal(v.Mountpoint, path.join(suite.t.root, 'volumes', 'keep1', '_data'));
    assert.equal(hostFile(path.join(v.Mountpoint, 'f')), 'kept\n');
    const { Id } = await e().createContainer({ Image: 'busybox', HostConfig: { Binds: ['keep1:/d:ro'] } });
    const m = (await e().inspectContainer(Id)).Mounts;
    assert.deepEqual(m, [
      {
        Type: 'volume',
        Name: 'keep1',
        Source: v.Mountpoint,
        Destination: '/d',
        Driver: 'local',
        Mode: 'ro',
        RW: false,
        Propagation: '',
      },
    ]);
    await e().removeContainer(Id);
    await e().removeVolume('keep1');
    await assert.rejects(e().inspectVolume('keep1'), NotFoundError);
  });

  test('copy-up fills a new volume once, keeps owners, modes and symlinks, never leaves the image', async () => {
    const before = fs.statSync(path.join(CANARY, 'canary.txt'));
    // Three layers with a whiteout: the merged view is what gets copied.
    const { Id } = await e().createContainer({
      Image: 'voltest',
      HostConfig: {
        Binds: ['cu-data:/opt/data', 'cu-esc:/escape'],
        Mounts: [{ Type: 'volume', Source: 'cu-vol', Target: '/vol' }],
      },
    });
    const src = (n: string) => path.join(suite.t.root, 'volumes', n, '_data');
    assert.deepEqual(fs.readdirSync(src('cu-data')).sort(), ['hard', 'keep.txt', 'new.txt']);
    const vol = src('cu-vol');
    const top = fs.statSync(vol);
    assert.deepEqual([top.uid, top.gid, top.mode & 0o7777], [1000, 1000, 0o750]);
    const owned = fs.statSync(path.join(vol, 'owned.txt'));
    assert.deepEqual([owned.uid, owned.gid, owned.mode & 0o7777], [1000, 50, 0o640]);
    assert.equal(owned.mtime.getTime(), mtime.getTime());
    assert.equal(lgetxattr(path.join(vol, 'owned.txt'), 'user.kept').toString(), 'yes');
    assert.equal(fs.statSync(path.join(vol, 'suid')).mode & 0o7777, 0o4755);
    const sub = fs.statSync(path.join(vol, 'sub'));
    assert.deepEqual([sub.uid, sub.gid, sub.mode & 0o7777], [65534, 65534, 0o700]);
    assert.equal(hostFile(path.join(vol, 'sub', 'deep.txt')), 'deep\n');
    assert.equal(fs.readlinkSync(path.join(vol, 'abs')), CANARY);
    assert.ok(fs.lstatSync(path.join(vol, 'up')).isSymbolicLink());
    // The symlink /escape resolved inside the image (nothing there): the host's canary not copied.
    assert.deepEqual(fs.readdirSync(src('cu-esc')), []);
    const after = fs.statSync(path.join(CANARY, 'canary.txt'));
    assert.deepEqual([after.mtimeMs, after.nlink, after.mode], [before.mtimeMs, before.nlink, before.mode]);
    assert.deepEqual(fs.readdirSync(CANARY), ['canary.txt']);
    // The data seen inside, owners as copied.
    await e().removeContainer(Id);
    const r = await run({
      Image: 'voltest',
      Cmd: sh('stat -c "%u:%g %a" /vol/owned.txt; rm /vol/owned.txt'),
      HostConfig: { Binds: ['cu-vol:/vol'] },
    });
    assert.equal(r.stdout, '1000:50 640\n', r.stderr);
    // Once: a volume with content is not filled again.
    const again = await run({ Image: 'voltest', Cmd: sh('ls /vol'), HostConfig: { Binds: ['cu-vol:/vol'] } });
    assert.equal(again.stdout.split('\n').includes('owned.txt'), false);
    for (const n of ['cu-data', 'cu-esc', 'cu-vol']) await e().removeVolume(n);
  });

  test('nocopy: -v name:/path:nocopy and volume-nocopy leave the volume empty', async () => {
    const r = await run({
      Cmd: sh('ls -A /opt/data | wc -l; ls -A /o2 | wc -l'),
      HostConfig: {
        Binds: ['nc1:/opt/data:nocopy'],
        Mounts: [{ Type: 'volume', Source: 'nc2', Target: '/o2', VolumeOptions: { NoCopy: true } }],
      },
    });
    assert.equal(r.stdout.replace(/ /g, ''), '0\n0\n', r.stderr);
    await e().removeVolume('nc1');
    await e().removeVolume('nc2');
  });

  test('driver_opts: a tmpfs, and a bind of a host directory that removal leaves alone', async () => {
    const dataDir = (n: string) => path.join(suite.t.root, 'volumes', n, '_data');
    await e().createVolume({
      Name: 'tmp1',
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=2m,uid=1000' },
    });
    const mounted = (p: string) =>
      fs
        .readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .find((l) => l.split(' ')[4] === p);
    assert.match(mounted(dataDir('tmp1')) ?? '', / - tmpfs /);
    const t = await run({ Cmd: sh('df -k /t | tail -1; stat -c %u /t'), HostConfig: { Binds: ['tmp1:/t'] } });
    assert.match(t.stdout, /^\S+\s+2048\s/, t.stdout);
    assert.match(t.stdout, /\n1000\n$/);
    assert.deepEqual((await e().inspectVolume('tmp1')).Options, {
      type: 'tmpfs',
      device: 'tmpfs',
      o: 'size=2m,uid=1000',
    });
    await e().removeVolume('tmp1');
    assert.equal(mounted(dataDir('tmp1')), undefined);

    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-vol-bind-'));
    try {
      fs.writeFileSync(path.join(host, 'there'), 'x');
      await e().createVolume({ Name: 'bind1', DriverOpts: { type: 'none', o: 'bind', device: host } });
      const b = await run({ Cmd: sh('cat /b/there; echo y > /b/new'), HostConfig: { Binds: ['bind1:/b'] } });
      assert.equal(b.stdout, 'x', b.stderr);
      assert.equal(hostFile(path.join(host, 'new')), 'y\n');
      await e().removeVolume('bind1');
      assert.deepEqual(fs.readdirSync(host).sort(), ['new', 'there']);
    } finally {
      fs.rmSync(host, { recursive: true, force: true });
    }
    await assert.rejects(
      e().createVolume({ Name: 'o1', DriverOpts: { type: 'tmpfs' } }),
      /missing required option: "device"/,
    );
    await assert.rejects(
      e().createVolume({ Name: 'o1', DriverOpts: { size: '1' } }),
      /invalid option: "size"/,
    );
    await assert.rejects(
      e().createVolume({ Name: 'o1', DriverOpts: { type: 'none', o: 'bind', device: '/no/such/dir' } }),
      /error while mounting volume/,
    );
    assert.deepEqual((await e().listVolumes()).Volumes, []);
  });

  test('a missing volume is a clear 404; bad names are refused before any path is made', async () => {
    await assert.rejects(
      e().inspectVolume('nope'),
      (err: Error) => err instanceof NotFoundError && err.message === 'get nope: no such volume',
    );
    await assert.rejects(e().removeVolume('nope'), NotFoundError);
    await e().removeVolume('nope', { force: true });
    for (const name of ['../x', '/x', 'a/b', '..', '.hidden', 'x']) {
      await assert.rejects(e().createVolume({ Name: name }), InvalidArgumentError, name);
    }
    await assert.rejects(e().inspectVolume('..'), NotFoundError);
    await assert.rejects(
      e().createContainer({ Image: 'busybox', HostConfig: { Binds: ['../x:/d'] } }),
      /includes invalid characters/,
    );
    await assert.rejects(
      e().createContainer({
        Image: 'busybox',
        HostConfig: { Mounts: [{ Type: 'volume', Source: 'a/../../b', Target: '/d' }] },
      }),
      InvalidArgumentError,
    );
    assert.deepEqual(fs.readdirSync(path.join(suite.t.root, 'volumes')), []);
    assert.equal(fs.existsSync(path.join(suite.t.root, 'x')), false);
  });

  test('anonymous volumes from VOLUME, Config.Volumes and -v /path: kept by rm, removed by rm -v and --rm', async () => {
    const body: ContainerCreateBody = {
      Image: 'voltest',
      Volumes: { '/a1': {} },
      HostConfig: { Binds: ['/a2'] },
    };
    const anonOf = async (id: string) =>
      (await e().inspectContainer(id)).Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name as string);
    const c1 = await e().createContainer(body);
    const names = await anonOf(c1.Id);
    assert.equal(names.length, 3);
    for (const n of names) assert.match(n, /^[0-9a-f]{64}$/);
    // The image's /vol got its content.
    const volMount = (await e().inspectContainer(c1.Id)).Mounts.find((m) => m.Destination === '/vol');
    assert.equal(hostFile(path.join(volMount?.Source ?? '', 'owned.txt')), 'owned\n');
    await e().removeContainer(c1.Id, { volumes: true });
    for (const n of names) await assert.rejects(e().inspectVolume(n), NotFoundError);

    const c2 = await e().createContainer(body);
    const kept = await anonOf(c2.Id);
    await e().removeContainer(c2.Id);
    for (const n of kept)
      assert.equal((await e().inspectVolume(n)).Labels['com.docker.volume.anonymous'], '');
    // Prune without `all` takes exactly the anonymous ones.
    await e().createVolume({ Name: 'named-kept' });
    const pruned = await e().pruneVolumes();
    assert.deepEqual(pruned.VolumesDeleted.sort(), [...kept].sort());
    await e().removeVolume('named-kept');

    const c3 = await e().createContainer({
      ...body,
      HostConfig: { ...body.HostConfig, AutoRemove: true },
      Cmd: ['true'],
    });
    const auto = await anonOf(c3.Id);
    await e().startContainer(c3.Id);
    await e().waitContainer(c3.Id, 'removed');
    for (let i = 0; i < 50 && (await e().listVolumes()).Volumes.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    for (const n of auto) await assert.rejects(e().inspectVolume(n), NotFoundError);
  });

  test("--volumes-from mounts the other container's volumes and binds, :ro read-only", async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-vol-from-'));
    try {
      const src = await e().createContainer({
        Image: 'busybox',
        HostConfig: { Binds: ['vf1:/shared', `${host}:/hostdir`] },
      });
      const rw = await run({
        Cmd: sh('echo a > /shared/f && echo b > /hostdir/g'),
        HostConfig: { VolumesFrom: [src.Id] },
      });
      assert.equal(rw.exitCode, 0, rw.stderr);
      const ro = await run({
        Cmd: sh('cat /shared/f /hostdir/g; echo c > /shared/h'),
        HostConfig: { VolumesFrom: [`${src.Id}:ro`] },
      });
      assert.equal(ro.stdout, 'a\nb\n');
      assert.match(ro.stderr, /Read-only file system/);
      const { Id } = await e().createContainer({
        Image: 'busybox',
        HostConfig: { VolumesFrom: [`${src.Id.slice(0, 12)}:ro`] },
      });
      const m = (await e().inspectContainer(Id)).Mounts.find((x) => x.Destination === '/shared');
      assert.deepEqual([m?.Type, m?.Name, m?.RW], ['volume', 'vf1', false]);
      await e().removeContainer(Id, { volumes: true });
      await assert.rejects(
        e().createContainer({ Image: 'busybox', HostConfig: { VolumesFrom: ['nosuch'] } }),
        NotFoundError,
      );
      await assert.rejects(
        e().createContainer({ Image: 'busybox', HostConfig: { VolumesFrom: [`${src.Id}:rx`] } }),
        InvalidArgumentError,
      );
      await e().removeContainer(src.Id, { volumes: true });
      await e().removeVolume('vf1'); // named: rm -v keeps it
    } finally {
      fs.rmSync(host, { recursive: true, force: true });
    }
  });

  test('a volume in use cannot be removed; prune all removes exactly the unused', async () => {
    const used = await e().createContainer({ Image: 'busybox', HostConfig: { Binds: ['inuse:/d'] } });
    await e().createVolume({ Name: 'unused1', Labels: { k: 'v' } });
    await e().createVolume({ Name: 'unused2' });
    await assert.rejects(
      e().removeVolume('inuse'),
      (err: Error) =>
        err instanceof ConflictError && err.message === `remove inuse: volume is in use - [${used.Id}]`,
    );
    await assert.rejects(e().removeVolume('inuse', { force: true }), ConflictError);
    const dangling = (await e().listVolumes({ filters: { dangling: ['true'] } })).Volumes.map((v) => v.Name);
    assert.deepEqual(dangling, ['unused1', 'unused2']);
    assert.deepEqual(
      (await e().listVolumes({ filters: { label: ['k=v'] } })).Volumes.map((v) => v.Name),
      ['unused1'],
    );
    assert.deepEqual((await e().listVolumes({ filters: { name: ['use'] } })).Volumes.length, 3);
    await assert.rejects(e().listVolumes({ filters: { bogus: ['1'] } }), InvalidArgumentError);
    assert.deepEqual((await e().pruneVolumes()).VolumesDeleted, []);
    const pruned = await e().pruneVolumes({ filters: { all: ['true'] } });
    assert.deepEqual(pruned.VolumesDeleted.sort(), ['unused1', 'unused2']);
    assert.deepEqual(
      (await e().listVolumes()).Volumes.map((v) => v.Name),
      ['inuse'],
    );
    await e().removeContainer(used.Id);
    await e().removeVolume('inuse');
  });
});
