/**
 * Descriptor-relative file calls (the *at family, openat2, fstatfs), so code that writes into a
 * tree it does not trust (an image layer) names every file by a directory descriptor and one
 * component, and the kernel, not a string check, keeps resolution inside the tree.
 */
import { check, libc } from './lib';

const syscallFn = libc.func('long syscall(long number, ...)');
const openatFn = libc.func('int openat(int dirfd, const char *path, int flags, uint32_t mode)');
const mkdiratFn = libc.func('int mkdirat(int dirfd, const char *path, uint32_t mode)');
const symlinkatFn = libc.func('int symlinkat(const char *target, int dirfd, const char *path)');
const linkatFn = libc.func(
  'int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)',
);
const mknodatFn = libc.func('int mknodat(int dirfd, const char *path, uint32_t mode, uint64_t dev)');
const fchownatFn = libc.func(
  'int fchownat(int dirfd, const char *path, uint32_t owner, uint32_t group, int flags)',
);
const fchmodatFn = libc.func('int fchmodat(int dirfd, const char *path, uint32_t mode, int flags)');
const utimensatFn = libc.func('int utimensat(int dirfd, const char *path, const void *times, int flags)');
const unlinkatFn = libc.func('int unlinkat(int dirfd, const char *path, int flags)');
const fstatfsFn = libc.func('int fstatfs(int fd, void *buf)');
const setxattrFn = libc.func(
  'int setxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
);

/** x86_64 and aarch64 share the generic syscall number. */
const SYS_openat2 = 437;

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EMPTY_PATH = 0x1000;

export const O_RDONLY = 0;
export const O_WRONLY = 0o1;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

/** Refuses /proc/<pid>/fd/*, /proc/<pid>/root, /proc/<pid>/exe and their kind (ELOOP). */
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
/** The directory is `/` for the walk: `..` and absolute symlinks stop there, as under chroot. */
export const RESOLVE_IN_ROOT = 0x10;

/** `/proc/self/fd/N[/name]`: the kernel's own name of a descriptor, for calls that have no *at form. */
export const fdPath = (fd: number, name = ''): string => `/proc/self/fd/${fd}${name ? `/${name}` : ''}`;

/** `resolve` holds RESOLVE_* bits; the kernel refuses a path that would leave `dirfd` with EXDEV. */
export function openat2(dirfd: number, path: string, flags: number, resolve: number, mode = 0): number {
  const how = Buffer.alloc(24);
  how.writeBigUInt64LE(BigInt(flags), 0);
  how.writeBigUInt64LE(BigInt(mode), 8);
  how.writeBigUInt64LE(BigInt(resolve), 16);
  const ret = syscallFn(
    SYS_openat2,
    'int',
    dirfd,
    'const char *',
    path,
    'void *',
    how,
    'size_t',
    how.length,
  ) as number;
  return check(ret, 'openat2', path);
}

export function openat(dirfd: number, path: string, flags: number, mode = 0): number {
  return check(openatFn(dirfd, path, flags, mode) as number, 'openat', path);
}

export function mkdirat(dirfd: number, path: string, mode: number): void {
  check(mkdiratFn(dirfd, path, mode) as number, 'mkdirat', path);
}

export function symlinkat(target: string, dirfd: number, path: string): void {
  check(symlinkatFn(target, dirfd, path) as number, 'symlinkat', path);
}

/** Without AT_SYMLINK_FOLLOW: a symlink as the source is linked itself, never its target. */
export function linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string): void {
  check(linkatFn(olddirfd, oldpath, newdirfd, newpath, 0) as number, 'linkat', `${oldpath} ${newpath}`);
}

export function mknodat(dirfd: number, path: string, mode: number, dev: bigint = 0n): void {
  check(mknodatFn(dirfd, path, mode, dev) as number, 'mknodat', path);
}

export function fchownat(dirfd: number, path: string, uid: number, gid: number, flags: number): void {
  check(fchownatFn(dirfd, path, uid, gid, flags) as number, 'fchownat', path);
}

export function fchmodat(dirfd: number, path: string, mode: number): void {
  check(fchmodatFn(dirfd, path, mode, 0) as number, 'fchmodat', path);
}

/** Access and modification time both set to `time`. */
export function utimensat(dirfd: number, path: string, time: Date, flags: number): void {
  const ms = time.getTime();
  const sec = BigInt(Math.floor(ms / 1000));
  const nsec = BigInt((ms - Math.floor(ms / 1000) * 1000) * 1_000_000);
  const times = Buffer.alloc(32);
  for (const off of [0, 16]) {
    times.writeBigInt64LE(sec, off);
    times.writeBigInt64LE(nsec, off + 8);
  }
  check(utimensatFn(dirfd, path, times, flags) as number, 'utimensat', path);
}

export function unlinkat(dirfd: number, path: string, flags: number): void {
  check(unlinkatFn(dirfd, path, flags) as number, 'unlinkat', path);
}

/** Bytes an unprivileged writer could still use on the file system holding `fd` (f_bavail × f_bsize). */
export function freeBytes(fd: number): number {
  // struct statfs on 64-bit Linux: f_type, f_bsize, f_blocks, f_bfree, f_bavail, ... (120 bytes)
  const buf = Buffer.alloc(120);
  check(fstatfsFn(fd, buf) as number, 'fstatfs');
  return Number(buf.readBigUInt64LE(32)) * Number(buf.readBigInt64LE(8));
}

/** `path` is followed: pass `/proc/self/fd/N` of a descriptor to reach exactly that file. */
export function setxattr(path: string, name: string, value: Buffer): void {
  check(setxattrFn(path, name, value, value.length, 0) as number, 'setxattr', name);
}
