/**
 * Interop with a real other engine: Debian's podman, in its own temp storage (never the
 * machine's), loads what `image save` writes and saves what `image load` reads, in both of
 * its archive formats. Skipped, saying why, when podman is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { loadArchive } from '../../../src/engine/images/archive/load';
import { saveArchive } from '../../../src/engine/images/archive/save';
import { removeImage } from '../../../src/engine/images/gc';
import { ImageStore } from '../../../src/engine/images/store';
import { busyboxMissing, importBusybox } from '../../helpers/busybox-image';
import { putImageBlobs } from '../../helpers/image-builder';

function podmanMissing(): string | false {
  if (spawnSync('podman', ['--version']).status !== 0)
    return 'podman is not installed (apt-get install podman)';
  return busyboxMissing();
}

const skip = podmanMissing();
if (skip) console.log(`# podman interop skipped: ${skip}`);

function podmanIn(dir: string) {
  const conf = path.join(dir, 'containers.conf');
  fs.writeFileSync(
    conf,
    [
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${path.join(dir, 'events.log')}"`,
      `image_copy_tmp_dir = "${path.join(dir, 'tmp')}"`,
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, 'tmp'));
  // Its own storage.conf too, so the machine's (another driver, other paths) is never read.
  const storageConf = path.join(dir, 'storage.conf');
  fs.writeFileSync(
    storageConf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${path.join(dir, 'root')}"\nrunroot = "${path.join(dir, 'runroot')}"\n`,
  );
  const env = { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storageConf };
  const base = [
    '--root',
    path.join(dir, 'root'),
    '--runroot',
    path.join(dir, 'runroot'),
    '--storage-driver',
    'vfs',
  ];
  return (...args: string[]): string => {
    const r = spawnSync('podman', [...base, ...args], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `podman ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
}

function tarFile(archive: string, name: string): string {
  return spawnSync('tar', ['-xOf', archive, name], { encoding: 'utf8' }).stdout;
}

interface PodmanImage {
  Id: string;
  RepoTags: string[];
  Config: { Cmd?: string[] };
  RootFS: { Layers: string[] };
}

test(
  'podman loads what image save writes, and image load reads what podman saves (docker-archive, oci-archive)',
  { skip },
  async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-podman-'));
    const podman = podmanIn(dir);
    t.after(() => {
      spawnSync('umount', ['-R', path.join(dir, 'root')], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const store = new ImageStore(path.join(dir, 'ours'));
    const bb = await importBusybox(store, 'tsc/interop:bb');
    const gz = await putImageBlobs(store, [{ entries: [[{ name: 'srv/hello' }, 'hi\n']] }], {
      cmd: ['cat', '/srv/hello'],
    });
    await store.addImage({ manifestDigest: gz.manifestDigest, tag: 'tsc/interop:gz' });

    const ours = path.join(dir, 'ours.tar');
    await pipeline(saveArchive(store, ['tsc/interop']), fs.createWriteStream(ours));
    // Two images: podman reads manifest.json (it takes only one image from an OCI layout) and,
    // as it does for short names there, files them under localhost/.
    assert.match(
      podman('load', '-i', ours),
      /Loaded image: localhost\/tsc\/interop:bb\nLoaded image: localhost\/tsc\/interop:gz/,
    );
    const ids = [bb.id.slice(7), gz.configDigest.slice(7)];
    const inspected = JSON.parse(podman('image', 'inspect', ...ids)) as PodmanImage[];
    assert.deepEqual(
      inspected.map((i) => [i.Id, i.RootFS.Layers, i.Config.Cmd]),
      [
        [bb.id.slice(7), bb.config.rootfs.diff_ids, ['sh']],
        [gz.configDigest.slice(7), gz.diffIds, ['cat', '/srv/hello']],
      ],
      'podman sees the same image IDs and layers',
    );

    // One image: podman reads the OCI layout (index.json names it in full). Its own store keeps
    // layers uncompressed and writes a manifest of its own, so only the config ID can match.
    const single = path.join(dir, 'single.tar');
    await pipeline(saveArchive(store, ['tsc/interop:gz']), fs.createWriteStream(single));
    assert.match(podman('load', '-i', single), /Loaded image: docker.io\/tsc\/interop:gz/);
    const [viaOci] = JSON.parse(podman('image', 'inspect', 'docker.io/tsc/interop:gz')) as PodmanImage[];
    assert.equal(viaOci.Id, gz.configDigest.slice(7));

    await removeImage(store, 'tsc/interop:bb', { inUse: () => new Map() });
    await removeImage(store, 'tsc/interop:gz', { inUse: () => new Map() });
    for (const format of ['docker-archive', 'oci-archive']) {
      const theirs = path.join(dir, `${format}.tar`);
      podman('save', '--format', format, '-o', theirs, 'localhost/tsc/interop:bb');
      assert.deepEqual(await loadArchive(store, fs.createReadStream(theirs)), [
        'Loaded image: localhost/tsc/interop:bb',
      ]);
      const img = store.resolve('localhost/tsc/interop:bb');
      if (format === 'docker-archive') assert.equal(img.id, bb.id, 'the config survives podman');
      else {
        // podman rewrites the config for OCI; what it wrote is what we keep, digests and all.
        const index = JSON.parse(tarFile(theirs, 'index.json')) as { manifests: { digest: string }[] };
        assert.equal(img.manifestDigest, index.manifests[0].digest);
        assert.deepEqual(img.config.config.Cmd, ['sh']);
      }
      assert.deepEqual(img.config.rootfs.diff_ids, bb.config.rootfs.diff_ids);
      assert.ok(fs.statSync(path.join(img.layerDirs[1], 'opt/dev/null-copy')).isCharacterDevice());
      assert.equal(fs.statSync(path.join(img.layerDirs[1], 'opt/suid')).mode & 0o7777, 0o4755);
      await removeImage(store, img.id, { force: true, inUse: () => new Map() });
    }
  },
);
