/**
 * A bind mount onto a mount point held by its descriptor. Its ro/nosuid/nodev/noexec cover every
 * mount of the bound tree (mount_setattr with AT_RECURSIVE on a detached copy, as docker 25+
 * does): a remount of the top alone left a submount of a read-only bind writable. Kernels
 * before 5.12 get each mount of the tree remounted, as found in mountinfo.
 */
import fs from 'node:fs';
import type { SyscallError } from '../../../platform/linux/lib';
import {
  AT_RECURSIVE,
  MOUNT_ATTR_NODEV,
  MOUNT_ATTR_NOEXEC,
  MOUNT_ATTR_NOSUID,
  MOUNT_ATTR_RDONLY,
  moveMount,
  mountSetattrRecursive,
  OPEN_TREE_CLOEXEC,
  OPEN_TREE_CLONE,
  openTree,
} from '../../../platform/linux/mount-api';
import {
  MS_BIND,
  MS_NOATIME,
  MS_NODEV,
  MS_NODIRATIME,
  MS_NOEXEC,
  MS_NOSUID,
  MS_RDONLY,
  MS_REC,
  MS_RELATIME,
  MS_REMOUNT,
  mount,
} from '../../../platform/linux/mount';
import { closeFd, fdPath } from '../../../platform/linux/openat2';

const ATTRS: [msFlag: number, attr: number][] = [
  [MS_RDONLY, MOUNT_ATTR_RDONLY],
  [MS_NOSUID, MOUNT_ATTR_NOSUID],
  [MS_NODEV, MOUNT_ATTR_NODEV],
  [MS_NOEXEC, MOUNT_ATTR_NOEXEC],
];

/** A mount's own flags as mountinfo shows them, so that a remount keeps them. */
const OPTION_FLAGS: Record<string, number> = {
  ro: MS_RDONLY,
  nosuid: MS_NOSUID,
  nodev: MS_NODEV,
  noexec: MS_NOEXEC,
  noatime: MS_NOATIME,
  nodiratime: MS_NODIRATIME,
  relatime: MS_RELATIME,
};

const unescape = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** Without mount_setattr: the bind, then every mount at or below its mount point remounted. */
function bindRemountingEach(source: string, dstFd: number, flags: number): void {
  mount(source, fdPath(dstFd), null, MS_BIND | MS_REC);
  const top = fs.readlinkSync(fdPath(dstFd));
  const mounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length > 5)
    .map((f) => ({
      point: unescape(f[4]),
      own: f[5].split(',').reduce((a, o) => a | (OPTION_FLAGS[o] ?? 0), 0),
    }))
    .filter((m) => m.point === top || m.point.startsWith(`${top}/`));
  for (const m of mounts) mount(null, m.point, null, MS_REMOUNT | MS_BIND | m.own | flags);
}

export function bindMount(source: string, dstFd: number, flags: number, target: string): void {
  const attrs = ATTRS.reduce((a, [ms, attr]) => (flags & ms ? a | attr : a), 0);
  if (!attrs) {
    mount(source, fdPath(dstFd), null, MS_BIND | MS_REC);
    return;
  }
  let tree: number | undefined;
  try {
    tree = openTree(source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    mountSetattrRecursive(tree, attrs, target);
    moveMount(tree, dstFd, target);
  } catch (err) {
    if ((err as SyscallError).code !== 'ENOSYS') throw err;
    bindRemountingEach(source, dstFd, flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
  } finally {
    if (tree !== undefined) closeFd(tree);
  }
}
