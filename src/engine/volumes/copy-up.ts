/**
 * Copy-up: a new, empty volume mounted over a path that has content in the image gets that
 * content, as docker's. Both sides are reached by descriptor only (SECURITY.md rule 1): the
 * image path resolves inside the image's root (RESOLVE_IN_ROOT: a symlink there is followed as
 * the container would, never out of the image), and every entry is then named by its parent's
 * descriptor and one component that is never followed, on both sides. A symlink in the image is
 * copied as a symlink; owners, modes, times and extended attributes are kept.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chmodAt, chownAt, lstatAt, setXattrAt, utimesAt } from '../../platform/linux/beneath';
import {
  AT_FDCWD,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_WRONLY,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
  fdPath,
  mkdirat,
  mknodat,
  openat,
  openat2,
  symlinkat,
} from '../../platform/linux/fs-at';
import { lgetxattr, llistxattr } from '../../platform/linux/fs-nodes';
import type { SyscallError } from '../../platform/linux/lib';
import { MNT_DETACH, MS_RDONLY, mount, umount2 } from '../../platform/linux/mount';
import { readlinkat } from '../../platform/linux/openat2';
import { TscomposeError } from '../../common/errors';
import type { ResolvedImage } from '../images/store';
import { COPYUP_PREFIX } from './volume-files';

const DIR_PATH = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
/** Room in one page of mount options; longer lists go through the store's short links. */
const MAX_LOWER = 3500;

const code = (err: unknown): string | undefined => (err as SyscallError).code;

/** The image's merged tree, read-only: its one layer, or an overlay of its layers in `scratch`. */
function imageView(image: ResolvedImage, scratch: string): { dir: string; release: () => void } {
  if (image.layerDirs.length === 1) return { dir: image.layerDirs[0], release: () => undefined };
  const dir = path.join(scratch, `${COPYUP_PREFIX}${crypto.randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  const long = image.layerDirs.join(':').length > MAX_LOWER;
  const cwd = process.cwd();
  try {
    // Short links are relative to the store: a chdir for the one synchronous call.
    if (long) process.chdir(image.storeRoot);
    const lower = (long ? image.layerLinks : image.layerDirs).join(':');
    mount('overlay', dir, 'overlay', MS_RDONLY, `lowerdir=${lower}`);
  } catch (err) {
    fs.rmdirSync(dir);
    throw err;
  } finally {
    if (long) process.chdir(cwd);
  }
  return {
    dir,
    release: () => {
      umount2(dir, MNT_DETACH);
      fs.rmdirSync(dir);
    },
  };
}

export function copyUp(image: ResolvedImage, target: string, data: string, scratch: string): void {
  if (!image.layerDirs.length) return;
  const view = imageView(image, scratch);
  try {
    const root = openat(AT_FDCWD, view.dir, DIR_PATH);
    let src: number;
    try {
      src = openat2(
        root,
        target.replace(/^\/+/, '') || '.',
        DIR_PATH & ~O_NOFOLLOW,
        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
      );
    } catch (err) {
      if (['ENOENT', 'ENOTDIR'].includes(code(err) ?? '')) return; // nothing there to copy
      throw err;
    } finally {
      fs.closeSync(root);
    }
    const dst = openat(AT_FDCWD, data, DIR_PATH);
    try {
      copyChildren(src, dst);
      copyMeta(src, dst, '', fs.fstatSync(src));
    } finally {
      fs.closeSync(src);
      fs.closeSync(dst);
    }
  } catch (err) {
    throw new TscomposeError(`copying the image's ${target} into its volume: ${(err as Error).message}`);
  } finally {
    view.release();
  }
}

function copyChildren(src: number, dst: number): void {
  for (const name of fs.readdirSync(fdPath(src))) {
    const st = lstatAt(src, name);
    if (!st) continue;
    if (st.isDirectory()) {
      mkdirat(dst, name, 0o700);
      const s = openat(src, name, DIR_PATH);
      const d = openat(dst, name, DIR_PATH);
      try {
        copyChildren(s, d);
      } finally {
        fs.closeSync(s);
        fs.closeSync(d);
      }
    } else if (st.isFile()) copyFile(src, dst, name);
    else if (st.isSymbolicLink()) {
      const link = readlinkat(src, name);
      if (link === undefined) continue;
      symlinkat(link, dst, name);
    } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
      mknodat(dst, name, st.mode, BigInt(st.rdev));
    } else continue; // a socket is no content
    copyMeta(src, dst, name, st);
  }
}

function copyFile(src: number, dst: number, name: string): void {
  const input = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  try {
    const out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600);
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = fs.readSync(input, buf, 0, buf.length, null);
        if (n === 0) break;
        for (let done = 0; done < n;) done += fs.writeSync(out, buf, done, n - done);
      }
    } finally {
      fs.closeSync(out);
    }
  } finally {
    fs.closeSync(input);
  }
}

/**
 * Owner, then mode (a chown clears setuid bits), extended attributes and times of `name` in
 * `dst` (`dst` itself when name is ''), as `name` in `src` has them (`st`).
 */
function copyMeta(src: number, dst: number, name: string, st: fs.Stats): void {
  chownAt(dst, name, st.uid, st.gid);
  if (!st.isSymbolicLink()) chmodAt(dst, name, st.mode & 0o7777);
  const from = fdPath(src, name);
  let keys: string[] = [];
  try {
    keys = llistxattr(from);
  } catch {
    keys = [];
  }
  for (const key of keys) {
    // The overlay's own bookkeeping is not the image's content.
    if (key.startsWith('trusted.overlay.')) continue;
    try {
      setXattrAt(dst, name, key, lgetxattr(from, key));
    } catch (err) {
      if (!['ENOTSUP', 'EOPNOTSUPP', 'EPERM'].includes(code(err) ?? '')) throw err;
    }
  }
  utimesAt(dst, name, st.mtime);
}
