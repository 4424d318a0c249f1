/**
 * A small real image for engine tests, made from Debian's busybox-static (`/bin/busybox`): three
 * layers exercising what layers carry (applet links, owners, a sticky /tmp, a device node, a
 * FIFO, a hard link, a setuid file, a whiteout). The tars are built once per busybox binary and
 * fixture version, in a cache folder under the system temp dir; each build goes to a temp name
 * and is renamed into place, so parallel test processes never see a half-written cache.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { ImageStore, ResolvedImage } from '../../src/engine/images/store';

export const BUSYBOX = '/bin/busybox';
/** Raise when the layers' content changes, so old caches are not reused. */
const FIXTURE_VERSION = 2;
const LAYER_FILES = ['layer1.tar', 'layer2.tar', 'layer3.tar'];
export const BUSYBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Fixed times keep the tars byte-identical, so every build has the same layer digests. */
const mtime = new Date('2024-01-01T00:00:00Z');

export const PASSWD =
  'root:x:0:0:root:/root:/bin/sh\n' +
  'app:x:1000:1000:app:/home/app:/bin/sh\n' +
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
export const GROUP = 'root:x:0:\nstaff:x:50:app\napp:x:1000:\nnogroup:x:65534:\n';

/** For `test(..., { skip: busyboxMissing() })`. */
export function busyboxMissing(): string | false {
  return fs.existsSync(BUSYBOX) ? false : 'busybox-static is not installed (apt-get install busybox-static)';
}

type Entry = Partial<tar.Header> & { name: string };

const dir = (name: string, mode = 0o755, uid = 0, gid = 0): Entry => ({
  name,
  type: 'directory',
  mode,
  uid,
  gid,
  mtime,
});

async function writeTar(file: string, entries: [Entry, (string | Buffer)?][]): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack as unknown as Readable, fs.createWriteStream(file));
  for (const [header, body] of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ mtime, ...header }, body ?? '', (err) => (err ? reject(err) : resolve())),
    );
  }
  pack.finalize();
  await done;
}

function applets(): string[] {
  const out = spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${BUSYBOX} --list failed: ${out.stderr}`);
  return out.stdout.split('\n').filter((n) => n && n !== 'busybox' && !n.includes('/'));
}

function layer1(): [Entry, (string | Buffer)?][] {
  return [
    ...['bin/', 'dev/', 'etc/', 'home/', 'proc/', 'sys/', 'usr/', 'usr/bin/', 'var/'].map((n): [Entry] => [
      dir(n),
    ]),
    [dir('root/', 0o700)],
    [dir('tmp/', 0o1777)],
    [dir('home/app/', 0o755, 1000, 1000)],
    [{ name: 'bin/busybox', mode: 0o755 }, fs.readFileSync(BUSYBOX)],
    ...applets().map((n): [Entry] => [
      { name: `bin/${n}`, type: 'symlink', linkname: 'busybox', mode: 0o777 },
    ]),
    [{ name: 'usr/bin/env', type: 'symlink', linkname: '/bin/busybox', mode: 0o777 }],
    [{ name: 'etc/passwd', mode: 0o644 }, PASSWD],
    [{ name: 'etc/group', mode: 0o644 }, GROUP],
  ];
}

function layer2(): [Entry, (string | Buffer)?][] {
  return [
    [dir('opt/')],
    [dir('opt/data/')],
    [{ name: 'opt/data/keep.txt', mode: 0o644 }, 'keep\n'],
    [{ name: 'opt/data/gone.txt', mode: 0o644 }, 'gone\n'],
    [{ name: 'opt/data/hard', type: 'link', linkname: 'opt/data/keep.txt' }],
    [dir('opt/dev/')],
    [{ name: 'opt/dev/null-copy', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 }],
    [{ name: 'opt/fifo', type: 'fifo', mode: 0o644 }],
    [{ name: 'opt/suid', mode: 0o4755 }, '#!/bin/sh\nid -u\n'],
  ];
}

function layer3(): [Entry, (string | Buffer)?][] {
  return [
    [dir('opt/')],
    [dir('opt/data/')],
    [{ name: 'opt/data/.wh.gone.txt', mode: 0o644 }],
    [{ name: 'opt/data/new.txt', mode: 0o644 }, 'new\n'],
  ];
}

/** Writes the three layer tars into `dest` (a new directory). The cold-cache path of busyboxLayers runs this in a child. */
export async function writeBusyboxLayers(dest: string): Promise<void> {
  fs.mkdirSync(dest, { recursive: true });
  const contents = [layer1(), layer2(), layer3()];
  for (let i = 0; i < LAYER_FILES.length; i++) await writeTar(path.join(dest, LAYER_FILES[i]), contents[i]);
}

function cacheDir(): string {
  const hash = crypto
    .createHash('sha256')
    .update(fs.readFileSync(BUSYBOX))
    .update(`fixture ${FIXTURE_VERSION}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(os.tmpdir(), `tscompose-busybox-${hash}`);
}

/**
 * The layer tars, bottom first. Synchronous so tests can call it anywhere: tar-stream only
 * writes asynchronously, so a cold cache is filled by a short child process.
 */
export function busyboxLayers(): { layers: string[] } {
  const cache = cacheDir();
  const layers = LAYER_FILES.map((f) => path.join(cache, f));
  if (fs.existsSync(cache)) return { layers };
  const tmp = `${cache}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    const script =
      `require(${JSON.stringify(__filename)}).writeBusyboxLayers(${JSON.stringify(tmp)})` +
      '.catch((e) => { console.error(e); process.exit(1); })';
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`building the busybox layers failed: ${child.stderr}`);
    try {
      fs.renameSync(tmp, cache);
    } catch (err) {
      if (!fs.existsSync(cache)) throw err; // another process renamed its identical build first
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { layers };
}

/** The fixture as one three-layer image with busybox's config (`sh`, the usual PATH). */
export async function importBusybox(store: ImageStore, tag = 'busybox:latest'): Promise<ResolvedImage> {
  return store.importLayers(busyboxLayers().layers, {
    tag,
    config: { Cmd: ['sh'], Env: [`PATH=${BUSYBOX_PATH}`] },
    history: [
      'busybox-static, applet links, passwd and group',
      'files, a device node, a FIFO, a hard link and a setuid file under /opt',
      'a whiteout of /opt/data/gone.txt and /opt/data/new.txt',
    ],
  });
}
