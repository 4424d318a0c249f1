/**
 * The container side's use of openat2(2) (fs-at.ts): workdirs, mount targets and etc files
 * resolved beneath the container's root by descriptor, with the few calls that act on what was
 * found. Linux >= 5.6.
 */
import { check, libc } from './lib';

export {
  AT_FDCWD,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_WRONLY,
  RESOLVE_BENEATH,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
  RESOLVE_NO_SYMLINKS,
  fdPath,
  mkdirat,
  openat,
  openat2,
} from './fs-at';

const fchdirFn = libc.func('int fchdir(int fd)');
const closeFn = libc.func('int close(int fd)');
const readlinkatFn = libc.func(
  'long readlinkat(int dirfd, const char *path, _Out_ uint8_t *buf, size_t size)',
);

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
