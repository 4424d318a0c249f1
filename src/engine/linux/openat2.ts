/**
 * openat2(2) for resolving a container's paths beneath its root by descriptor (the container
 * side: workdirs, mount targets, etc files), with the few *at calls that act on what it found.
 * Linux >= 5.6; x86_64 syscall number.
 */
import { check, libc } from './lib';

const syscallFn = libc.func('long syscall(long number, ...)');
const mkdiratFn = libc.func('int mkdirat(int dirfd, const char *path, uint32_t mode)');
const openatFn = libc.func('int openat(int dirfd, const char *path, int flags, uint32_t mode)');
const fchdirFn = libc.func('int fchdir(int fd)');
const closeFn = libc.func('int close(int fd)');
const readlinkatFn = libc.func(
  'long readlinkat(int dirfd, const char *path, _Out_ uint8_t *buf, size_t size)',
);

const SYS_openat2 = 437;

export const AT_FDCWD = -100;

export const O_RDONLY = 0;
export const O_WRONLY = 0o1;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

export const RESOLVE_NO_XDEV = 0x01;
/** Refuses /proc/<pid>/fd/*, /proc/<pid>/root, /proc/<pid>/exe and their kind (ELOOP). */
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
/** The directory is `/` for the walk: `..` and absolute symlinks stop there, as under chroot. */
export const RESOLVE_IN_ROOT = 0x10;

/** struct open_how { u64 flags; u64 mode; u64 resolve; } */
function openHow(flags: number, mode: number, resolve: number): Buffer {
  const how = Buffer.alloc(24);
  how.writeBigUInt64LE(BigInt(flags), 0);
  how.writeBigUInt64LE(BigInt(mode), 8);
  how.writeBigUInt64LE(BigInt(resolve), 16);
  return how;
}

export function openat2(dirFd: number, path: string, flags: number, resolve: number, mode = 0): number {
  const how = openHow(flags, mode, resolve);
  const ret = syscallFn(
    SYS_openat2,
    'int',
    dirFd,
    'const char *',
    path,
    'void *',
    how,
    'size_t',
    how.length,
  ) as number | bigint;
  return check(ret, 'openat2', path);
}

export function mkdirat(dirFd: number, name: string, mode: number): void {
  check(mkdiratFn(dirFd, name, mode) as number, 'mkdirat', name);
}

export function openat(dirFd: number, name: string, flags: number, mode = 0): number {
  return check(openatFn(dirFd, name, flags, mode) as number, 'openat', name);
}

/** The target of the symlink `name` in `dirFd`; undefined when it is not a symlink (or is gone). */
export function readlinkat(dirFd: number, name: string): string | undefined {
  const buf = Buffer.alloc(4096);
  const n = Number(readlinkatFn(dirFd, name, buf, buf.length));
  return n < 0 ? undefined : buf.toString('utf8', 0, n);
}

export function fchdir(fd: number): void {
  check(fchdirFn(fd) as number, 'fchdir');
}

export function closeFd(fd: number): void {
  closeFn(fd);
}

/** The path a descriptor stands for, as this process's root sees it. */
export function fdPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}
