/**
 * Paths inside the container's root file system, resolved by the kernel beneath a descriptor of
 * that root (openat2 RESOLVE_IN_ROOT): symlinks in the image are followed as the container will
 * see them, never out of it, and a path through a /proc magic link (`/proc/self/fd/3`,
 * `/proc/1/root/...`) is refused. Callers act on the descriptor (mount onto /proc/self/fd/N,
 * mkdirat, fchdir), so nothing swapped in between a check and a use can redirect them.
 */
import path from 'node:path';
import type { SyscallError } from '../../linux/lib';
import {
  AT_FDCWD,
  closeFd,
  fchdir,
  mkdirat,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_WRONLY,
  openat,
  openat2,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
} from '../../linux/openat2';

const RESOLVE = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

/** `..` taken lexically first, as docker cleans mount destinations and workdirs. */
function components(unsafePath: string): string[] {
  return path.posix.resolve('/', unsafePath).split('/').filter(Boolean);
}

function explain(err: unknown, what: string, unsafePath: string): Error {
  const e = err as SyscallError;
  const why =
    e.code === 'ELOOP'
      ? 'it goes through a /proc magic link or too many symbolic links'
      : e.code === 'ENOTDIR'
        ? 'a part of it is not a directory'
        : e.code === 'EXDEV'
          ? 'it escapes the container'
          : (e.message ?? String(err));
  return new Error(`${what} "${unsafePath}" cannot be resolved in the container: ${why}`);
}

function tryOpen(rootFd: number, rel: string, flags: number): number | undefined {
  try {
    return openat2(rootFd, rel || '.', O_PATH | O_CLOEXEC | flags, RESOLVE);
  } catch (err) {
    if ((err as SyscallError).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** An O_PATH descriptor of `unsafePath` beneath the root `rootFd`; throws when it does not exist. */
export function openInRoot(rootFd: number, unsafePath: string, what: string, flags = 0): number {
  try {
    return openat2(rootFd, components(unsafePath).join('/') || '.', O_PATH | O_CLOEXEC | flags, RESOLVE);
  } catch (err) {
    throw explain(err, what, unsafePath);
  }
}

/**
 * Creates the directories of `unsafePath` that are missing, one component at a time beneath the
 * root (at most one pass over its components: nothing here can loop), and returns an O_PATH
 * descriptor of the last one.
 */
export function mkdirAllInRoot(rootFd: number, unsafePath: string, what: string): number {
  const parts = components(unsafePath);
  try {
    let fd = tryOpen(rootFd, parts.join('/'), O_DIRECTORY);
    if (fd !== undefined) return fd;
    fd = openat2(rootFd, '.', O_PATH | O_CLOEXEC | O_DIRECTORY, RESOLVE);
    for (let i = 0; i < parts.length; i++) {
      const rel = parts.slice(0, i + 1).join('/');
      let next = tryOpen(rootFd, rel, O_DIRECTORY);
      if (next === undefined) {
        try {
          mkdirat(fd, parts[i], 0o755);
        } catch (err) {
          closeFd(fd);
          // It exists, yet resolving it found nothing: a symbolic link to nowhere.
          if ((err as SyscallError).code === 'EEXIST')
            throw new Error(`${what} "${unsafePath}": "/${rel}" is a dangling symbolic link`);
          throw err;
        }
        next = openat2(rootFd, rel, O_PATH | O_CLOEXEC | O_DIRECTORY, RESOLVE);
      }
      closeFd(fd);
      fd = next;
    }
    return fd;
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(what)) throw err;
    throw explain(err, what, unsafePath);
  }
}

/**
 * An O_PATH descriptor of a mount point beneath the root, created when missing: a directory, or
 * an empty file when what is mounted there is not a directory.
 */
export function mountPointInRoot(rootFd: number, unsafePath: string, directory: boolean): number {
  const what = 'mount target';
  if (directory) return mkdirAllInRoot(rootFd, unsafePath, what);
  const parts = components(unsafePath);
  let found: number | undefined;
  try {
    found = tryOpen(rootFd, parts.join('/'), 0);
  } catch (err) {
    throw explain(err, what, unsafePath);
  }
  if (found !== undefined) return found;
  if (!parts.length) throw new Error(`${what} "${unsafePath}" cannot be a file`);
  const dir = mkdirAllInRoot(rootFd, parts.slice(0, -1).join('/'), what);
  try {
    closeFd(
      openat(dir, parts[parts.length - 1], O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o644),
    );
  } catch (err) {
    if ((err as SyscallError).code === 'EEXIST')
      throw new Error(`${what} "${unsafePath}" is a dangling symbolic link in the container`);
    throw explain(err, what, unsafePath);
  } finally {
    closeFd(dir);
  }
  return openInRoot(rootFd, unsafePath, what);
}

/**
 * chdir to the process's working directory by descriptor, beneath this process's root (the
 * container's, after pivot_root or setns): `-w /proc/self/fd/N` must not land on a descriptor
 * the helper holds (runc CVE-2024-21626).
 */
export function chdirInRoot(cwd: string): void {
  const rootFd = openat2(AT_FDCWD, '/', O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  try {
    const fd = openInRoot(rootFd, cwd, 'working directory', O_DIRECTORY);
    try {
      fchdir(fd);
    } finally {
      closeFd(fd);
    }
  } finally {
    closeFd(rootFd);
  }
}
