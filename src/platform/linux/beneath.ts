/**
 * A directory tree written by untrusted content (an image layer), handled through descriptors
 * only: every path resolves beneath the tree's root with openat2(RESOLVE_BENEATH), so neither an
 * absolute symlink nor `..` in one leaves the tree, and every operation names its file by a
 * parent descriptor and one last component that is never followed.
 */
import fs from 'node:fs';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_NOFOLLOW,
  O_CLOEXEC,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  RESOLVE_BENEATH,
  RESOLVE_NO_MAGICLINKS,
  RESOLVE_NO_SYMLINKS,
  fchmodat,
  fchownat,
  fdPath,
  mkdirat,
  openat,
  openat2,
  setxattr,
  unlinkat,
  utimensat,
} from './fs-at';
import { lsetxattr } from './fs-nodes';
import type { SyscallError } from './lib';

const DIR_PATH = O_PATH | O_DIRECTORY | O_CLOEXEC;
const BENEATH = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

const errCode = (err: unknown): string | undefined => (err as SyscallError | NodeJS.ErrnoException).code;

export class BeneathRoot {
  readonly fd: number;

  constructor(dir: string) {
    this.fd = openat(AT_FDCWD, dir, DIR_PATH | O_NOFOLLOW);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /**
   * An O_PATH descriptor of the directory `parts` (single components, no `.`/`..`) beneath the
   * root, following symlinks only while they stay beneath it. With `create`, missing directories
   * are made one component at a time (0755) and opened without following anything, so a
   * dangling symlink is never created through. The caller closes the descriptor.
   */
  openDir(parts: readonly string[], create: boolean): number {
    try {
      return openat2(this.fd, parts.length ? parts.join('/') : '.', DIR_PATH, BENEATH);
    } catch (err) {
      if (!create || errCode(err) !== 'ENOENT') throw err;
    }
    let fd = openat(this.fd, '.', DIR_PATH);
    try {
      let missing = false;
      for (let i = 0; i < parts.length; i++) {
        let next: number | undefined;
        if (!missing) {
          try {
            next = openat2(this.fd, parts.slice(0, i + 1).join('/'), DIR_PATH, BENEATH);
          } catch (err) {
            if (errCode(err) !== 'ENOENT') throw err;
            missing = true;
          }
        }
        if (next === undefined) {
          try {
            mkdirat(fd, parts[i], 0o755);
          } catch (err) {
            if (errCode(err) !== 'EEXIST') throw err;
          }
          next = openat2(fd, parts[i], DIR_PATH | O_NOFOLLOW, BENEATH | RESOLVE_NO_SYMLINKS);
        }
        fs.closeSync(fd);
        fd = next;
      }
      return fd;
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }
}

/** lstat of `name` in `dirfd`; undefined when there is nothing. */
export function lstatAt(dirfd: number, name: string): fs.Stats | undefined {
  let fd: number;
  try {
    fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return fs.fstatSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes `name` and, for a directory, everything under it; a symlink is removed, never followed. */
export function removeAt(dirfd: number, name: string): void {
  try {
    unlinkat(dirfd, name, 0);
    return;
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    if (errCode(err) !== 'EISDIR') throw err;
  }
  const fd = openat(dirfd, name, DIR_PATH | O_NOFOLLOW);
  try {
    for (const child of fs.readdirSync(fdPath(fd))) removeAt(fd, child);
  } finally {
    fs.closeSync(fd);
  }
  unlinkat(dirfd, name, AT_REMOVEDIR);
}

/** `name` '' means `dirfd` itself, in this and the calls below. */
export function chownAt(dirfd: number, name: string, uid: number, gid: number): void {
  fchownat(dirfd, name, uid, gid, name ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH);
}

/** chmod has no no-follow form before fchmodat2: pin the file with O_PATH, then chmod that descriptor. */
export function chmodAt(dirfd: number, name: string, mode: number): void {
  if (!name) return fchmodat(AT_FDCWD, fdPath(dirfd), mode);
  const fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  try {
    if (fs.fstatSync(fd).isSymbolicLink()) return; // a symlink has no mode of its own
    fchmodat(AT_FDCWD, fdPath(fd), mode);
  } finally {
    fs.closeSync(fd);
  }
}

export function utimesAt(dirfd: number, name: string, time: Date): void {
  if (!name) return utimensat(AT_FDCWD, fdPath(dirfd), time, 0);
  utimensat(dirfd, name, time, AT_SYMLINK_NOFOLLOW);
}

/** The parent is reached through its descriptor; the last component is not followed (lsetxattr). */
export function setXattrAt(dirfd: number, name: string, key: string, value: Buffer): void {
  if (!name) return setxattr(fdPath(dirfd), key, value);
  lsetxattr(fdPath(dirfd, name), key, value);
}
