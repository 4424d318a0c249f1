/**
 * The container's mount namespace, built before pivot_root: overlay root, /proc, /sys, /dev and
 * friends, the etc files, the user's mounts; then the pieces that need the container's own view
 * (masked and read-only paths, a read-only root) after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makedev, mknod, S_IFCHR } from '../../../platform/linux/fs-nodes';
import {
  MNT_DETACH,
  MS_BIND,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_REMOUNT,
  MS_STRICTATIME,
  mount,
  parseMountOptions,
  pivotRoot,
  umount2,
} from '../../../platform/linux/mount';
import {
  AT_FDCWD,
  closeFd,
  fdPath,
  O_CLOEXEC,
  O_DIRECTORY,
  O_PATH,
  openat2,
} from '../../../platform/linux/openat2';
import { chdir } from '../../../platform/linux/process';
import type { ContainerSpec, MountSpec } from '../spec';
import { bindMount } from './bind';
import { mkdirAllInRoot, mountPointInRoot, openInRoot } from './securejoin';

export const INIT_PATH = '/sbin/docker-init';
/** Room for upperdir= and workdir= in a 4096-byte page of mount options. */
const MAX_LOWER = 3000;

const DEVICES: [name: string, major: number, minor: number][] = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
];

export function rootfsDir(spec: ContainerSpec): string {
  return path.join(spec.stateDir, 'rootfs');
}

function mountOverlay(spec: ContainerSpec, root: string): void {
  const upper = path.join(spec.stateDir, 'upper');
  const work = path.join(spec.stateDir, 'work');
  // Children of the state dir, which the daemon made: no recursive mkdir (Node's loops for
  // ever when mkdir says ENOENT under an existing parent, as it does under /proc).
  for (const d of [root, upper, work]) if (!fs.existsSync(d)) fs.mkdirSync(d);
  let lower = spec.rootfs.lowerDirs.join(':');
  const { lowerLinks, linkRoot } = spec.rootfs;
  // The mount options must fit one page; relative links are resolved against the cwd.
  if (lower.length > MAX_LOWER && lowerLinks?.length && linkRoot) {
    chdir(linkRoot);
    lower = lowerLinks.join(':');
  }
  mount('overlay', root, 'overlay', 0, `lowerdir=${lower},upperdir=${upper},workdir=${work}`);
}

/** Mounts onto the mount point `target` by its descriptor: a symlink swapped in cannot redirect it. */
function mountAt(
  rootFd: number,
  target: string,
  source: string | null,
  fstype: string | null,
  flags: number,
  data: string | null = null,
): void {
  const fd = mountPointInRoot(rootFd, target, true);
  try {
    mount(source, fdPath(fd), fstype, flags, data);
  } finally {
    closeFd(fd);
  }
}

function bindAt(rootFd: number, source: string, target: string, directory: boolean, flags: number): void {
  const fd = mountPointInRoot(rootFd, target, directory);
  try {
    bindMount(source, fd, flags, target);
  } finally {
    closeFd(fd);
  }
}

function mountDev(spec: ContainerSpec, rootFd: number): void {
  mountAt(rootFd, '/dev', 'tmpfs', 'tmpfs', MS_NOSUID | MS_STRICTATIME, 'mode=755,size=65536k');
  // The fresh tmpfs itself: a descriptor taken before the mount names the directory beneath it.
  const devFd = openInRoot(rootFd, '/dev', 'mount target', O_DIRECTORY);
  try {
    const dev = fdPath(devFd);
    for (const [name, major, minor] of DEVICES) {
      const p = path.join(dev, name);
      mknod(p, S_IFCHR | 0o666, makedev(major, minor));
      fs.chmodSync(p, 0o666); // mknod's mode went through the umask
    }
    fs.mkdirSync(path.join(dev, 'pts'));
    mount(
      'devpts',
      path.join(dev, 'pts'),
      'devpts',
      MS_NOSUID | MS_NOEXEC,
      'newinstance,ptmxmode=0666,mode=0620,gid=5',
    );
    fs.symlinkSync('pts/ptmx', path.join(dev, 'ptmx'));
    fs.mkdirSync(path.join(dev, 'shm'));
    mount(
      'shm',
      path.join(dev, 'shm'),
      'tmpfs',
      MS_NOSUID | MS_NODEV | MS_NOEXEC,
      `mode=1777,size=${spec.shmSizeBytes}`,
    );
    fs.mkdirSync(path.join(dev, 'mqueue'));
    mount('mqueue', path.join(dev, 'mqueue'), 'mqueue', MS_NOSUID | MS_NODEV | MS_NOEXEC);
    const links: [string, string][] = [
      ['fd', '/proc/self/fd'],
      ['stdin', '/proc/self/fd/0'],
      ['stdout', '/proc/self/fd/1'],
      ['stderr', '/proc/self/fd/2'],
      ['core', '/proc/kcore'],
    ];
    for (const [name, target] of links) fs.symlinkSync(target, path.join(dev, name));
  } finally {
    closeFd(devFd);
  }
}

function mountUser(rootFd: number, m: MountSpec): void {
  const { flags, data } = parseMountOptions(m.options);
  if (m.type === 'bind') {
    const isDir = fs.statSync(m.source).isDirectory();
    bindAt(rootFd, m.source, m.target, isDir, flags & ~MS_BIND & ~MS_REC);
  } else {
    mountAt(rootFd, m.target, m.source || m.type, m.type, flags, data || null);
  }
}

/** Everything up to and including pivot_root; the caller is the container's init, in its new mount namespace. */
export function buildRootfs(spec: ContainerSpec): void {
  mount(null, '/', null, MS_REC | MS_PRIVATE);
  const root = rootfsDir(spec);
  mountOverlay(spec, root);
  const rootFd = openat2(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  try {
    mountAt(rootFd, '/proc', 'proc', 'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC);
    const sysFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (spec.privileged ? 0 : MS_RDONLY);
    mountAt(rootFd, '/sys', 'sysfs', 'sysfs', sysFlags);
    mountDev(spec, rootFd);
    for (const name of ['hosts', 'resolv.conf', 'hostname'] as const) {
      bindAt(rootFd, path.join(spec.stateDir, name), `/etc/${name}`, false, 0);
    }
    // Parents before children: `/data` must be mounted before `/data/sub`.
    const ordered = [...spec.mounts].sort((a, b) => depth(a.target) - depth(b.target));
    for (const m of ordered) mountUser(rootFd, m);
    if (spec.initBinary) bindAt(rootFd, spec.initBinary, INIT_PATH, false, MS_RDONLY);
    closeFd(mkdirAllInRoot(rootFd, spec.process.cwd, 'working directory'));
  } finally {
    closeFd(rootFd);
  }

  chdir(root);
  pivotRoot('.', '.');
  umount2('.', MNT_DETACH);
  chdir('/');
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}

/** After pivot_root: the read-only root and the kernel files a container must not touch. */
export function finishRootfs(spec: ContainerSpec): void {
  for (const [key, value] of Object.entries(spec.sysctls)) {
    fs.writeFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, value);
  }
  if (spec.rootfs.readonly) mount(null, '/', null, MS_REMOUNT | MS_BIND | MS_RDONLY);
  for (const p of spec.readonlyPaths) {
    if (!fs.existsSync(p)) continue;
    mount(p, p, null, MS_BIND | MS_REC);
    mount(null, p, null, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
  }
  for (const p of spec.maskedPaths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) mount('tmpfs', p, 'tmpfs', MS_RDONLY);
    else mount('/dev/null', p, null, MS_BIND);
  }
}
