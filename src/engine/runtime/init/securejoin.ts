/**
 * Paths inside the container's root file system, resolved by the kernel beneath a descriptor of
 * that root (openat2 RESOLVE_IN_ROOT): symlinks in the image are followed as the container will
 * see them, never out of it, and a path through a /proc magic link (`/proc/self/fd/3`,
 * `/proc/1/root/...`) is refused. Callers act on the descriptor (mount onto /proc/self/fd/N,
 * mkdirat, fchdir), so nothing swapped in between a check and a use can redirect them.
 */
import path from 'node:path';
import type { SyscallError } from '../../../platform/linux/lib';
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
  readlinkat,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
} from '../../../platform/linux/openat2';

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

/** As the kernel's own limit on symlinks in one resolution. */
const MAX_LINKS = 40;

/**
 * `parts` with its component `i`, a symlink that resolves to nothing yet, replaced by its target
 * (taken as the container sees it: an absolute one from the container's root).
 */
function throughLink(parts: string[], i: number, target: string): string[] {
  const base = target.startsWith('/') ? [] : parts.slice(0, i);
  const link = target.split('/').filter((c) => c && c !== '.');
  return [...base, ...link, ...parts.slice(i + 1)];
}

/**
 * Creates the directories of `parts` that are missing, one component at a time beneath the root;
 * a symlink to a place that does not exist yet is followed there (inside the root), at most
 * MAX_LINKS times: nothing here can loop. Returns an O_PATH descriptor of the last one.
 */
function mkdirAll(rootFd: number, parts: string[], links: number, what: string, unsafePath: string): number {
  const whole = tryOpen(rootFd, parts.join('/'), O_DIRECTORY);
  if (whole !== undefined) return whole;
  let fd = openat2(rootFd, '.', O_PATH | O_CLOEXEC | O_DIRECTORY, RESOLVE);
  try {
    for (let i = 0; i < parts.length; i++) {
      const rel = parts.slice(0, i + 1).join('/');
      let next = tryOpen(rootFd, rel, O_DIRECTORY);
      if (next === undefined) {
        const target = readlinkat(fd, parts[i]);
        if (target !== undefined) {
          if (links >= MAX_LINKS) throw new Error(`${what} "${unsafePath}": too many symbolic links`);
          return mkdirAll(rootFd, throughLink(parts, i, target), links + 1, what, unsafePath);
        }
        mkdirat(fd, parts[i], 0o755);
        next = openat2(rootFd, rel, O_PATH | O_CLOEXEC | O_DIRECTORY, RESOLVE);
      }
      closeFd(fd);
      fd = next;
    }
    const done = fd;
    fd = -1;
    return done;
  } finally {
    if (fd >= 0) closeFd(fd);
  }
}

function guarded<T>(what: string, unsafePath: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && !('errno' in err)) throw err;
    throw explain(err, what, unsafePath);
  }
}

/** Creates the missing directories of `unsafePath` beneath the root; an O_PATH descriptor of it. */
export function mkdirAllInRoot(rootFd: number, unsafePath: string, what: string): number {
  return guarded(what, unsafePath, () => mkdirAll(rootFd, components(unsafePath), 0, what, unsafePath));
}

function mountPoint(rootFd: number, parts: string[], links: number, unsafePath: string): number {
  const what = 'mount target';
  const found = tryOpen(rootFd, parts.join('/'), 0);
  if (found !== undefined) return found;
  if (!parts.length) throw new Error(`${what} "${unsafePath}" cannot be a file`);
  const name = parts[parts.length - 1];
  const dir = mkdirAll(rootFd, parts.slice(0, -1), links, what, unsafePath);
  try {
    const target = readlinkat(dir, name);
    if (target !== undefined) {
      if (links >= MAX_LINKS) throw new Error(`${what} "${unsafePath}": too many symbolic links`);
      return mountPoint(rootFd, throughLink(parts, parts.length - 1, target), links + 1, unsafePath);
    }
    closeFd(openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o644));
    return openat2(dir, name, O_PATH | O_CLOEXEC | O_NOFOLLOW, 0);
  } finally {
    closeFd(dir);
  }
}

/**
 * An O_PATH descriptor of a mount point beneath the root, created when missing: a directory, or
 * an empty file when what is mounted there is not a directory.
 */
export function mountPointInRoot(rootFd: number, unsafePath: string, directory: boolean): number {
  if (directory) return mkdirAllInRoot(rootFd, unsafePath, 'mount target');
  return guarded('mount target', unsafePath, () => mountPoint(rootFd, components(unsafePath), 0, unsafePath));
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
