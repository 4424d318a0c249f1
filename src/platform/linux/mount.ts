/** mount(2), umount2(2) and pivot_root(2), with the flag names of <sys/mount.h>. */
import { check, libc } from './lib';

const mountFn = libc.func(
  'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
);
const umount2Fn = libc.func('int umount2(const char *target, int flags)');
const syscallFn = libc.func('long syscall(long number, ...)');

const SYS_pivot_root = 155;

export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_SYNCHRONOUS = 0x10;
export const MS_REMOUNT = 0x20;
export const MS_MANDLOCK = 0x40;
export const MS_DIRSYNC = 0x80;
export const MS_NOSYMFOLLOW = 0x100;
export const MS_NOATIME = 0x400;
export const MS_NODIRATIME = 0x800;
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_UNBINDABLE = 0x20000;
export const MS_PRIVATE = 0x40000;
export const MS_SLAVE = 0x80000;
export const MS_SHARED = 0x100000;
export const MS_RELATIME = 0x200000;
export const MS_STRICTATIME = 0x1000000;

export const MNT_DETACH = 0x2;
export const UMOUNT_NOFOLLOW = 0x8;

export function mount(
  source: string | null,
  target: string,
  fstype: string | null,
  flags: number,
  data: string | null = null,
): void {
  check(
    mountFn(source, target, fstype, flags, data) as number,
    'mount',
    `${fstype ?? source ?? ''} on ${target}`,
  );
}

export function umount2(target: string, flags: number): void {
  check(umount2Fn(target, flags) as number, 'umount2', target);
}

export function pivotRoot(newRoot: string, putOld: string): void {
  check(
    syscallFn(SYS_pivot_root, 'const char *', newRoot, 'const char *', putOld) as number,
    'pivot_root',
    newRoot,
  );
}

/** mount(8)-style option words → flags and the data string the file system gets. */
const FLAG_WORDS: Record<string, [set: number, clear: number]> = {
  ro: [MS_RDONLY, 0],
  rw: [0, MS_RDONLY],
  nosuid: [MS_NOSUID, 0],
  suid: [0, MS_NOSUID],
  nodev: [MS_NODEV, 0],
  dev: [0, MS_NODEV],
  noexec: [MS_NOEXEC, 0],
  exec: [0, MS_NOEXEC],
  sync: [MS_SYNCHRONOUS, 0],
  dirsync: [MS_DIRSYNC, 0],
  noatime: [MS_NOATIME, 0],
  nodiratime: [MS_NODIRATIME, 0],
  relatime: [MS_RELATIME, 0],
  strictatime: [MS_STRICTATIME, 0],
  bind: [MS_BIND, 0],
  rbind: [MS_BIND | MS_REC, 0],
  private: [MS_PRIVATE, 0],
  rprivate: [MS_PRIVATE | MS_REC, 0],
  slave: [MS_SLAVE, 0],
  rslave: [MS_SLAVE | MS_REC, 0],
  shared: [MS_SHARED, 0],
  rshared: [MS_SHARED | MS_REC, 0],
};

export function parseMountOptions(options: readonly string[]): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const opt of options) {
    const known = FLAG_WORDS[opt];
    if (known) flags = (flags | known[0]) & ~known[1];
    else if (opt) data.push(opt);
  }
  return { flags, data: data.join(',') };
}
