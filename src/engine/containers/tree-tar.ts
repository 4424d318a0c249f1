/**
 * A tree of a container written as a tar (tar-stream), read through descriptors only: each
 * directory is opened from its parent's descriptor without following, each entry is lstat'ed and
 * opened by one component that is never followed, so a symlink a container swaps in while the
 * tar is made is archived as the symlink it is, never read through. Hard links within the tree
 * become link entries; sockets are no content and are left out, as docker's tar does. With
 * `overlay`, the tree is an overlay upper directory: a 0:0 character device becomes a `.wh.`
 * whiteout and an opaque directory gets its `.wh..wh..opq`, as a layer tar carries them.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as tar from 'tar-stream';
import { lstatAt } from '../../platform/linux/beneath';
import { lgetxattr } from '../../platform/linux/fs-nodes';
import {
  O_CLOEXEC,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  closeFd,
  fdPath,
  openat,
  readlinkat,
} from '../../platform/linux/openat2';

const O_NONBLOCK = 0o4000;

type Head = Partial<tar.Header> & { name: string };
const CHUNK = 1 << 20;

/** What to do with a container path: leave it out, write the entry alone (no content, no children), or all of it. */
export type Keep = 'skip' | 'bare' | 'keep';

export interface TreeTarOptions {
  filter?: (containerPath: string) => Keep;
  overlay?: boolean;
}

/**
 * Runs `work` (entries into `pack`), then finalizes the tar, or destroys it with the error;
 * `done` runs once `work` has settled (never while it may still use its descriptors).
 */
export function feedPack(pack: tar.Pack, work: () => Promise<void>, done: () => void): Readable {
  const out = new PassThrough();
  pipeline(pack, out).catch((err: unknown) => out.destroy(err as Error));
  work()
    .then(
      () => pack.finalize(),
      (err: unknown) => pack.destroy(err as Error),
    )
    .finally(done)
    .catch(() => undefined);
  return out;
}

class PackClosedError extends Error {
  constructor() {
    super('the tar stream was closed');
  }
}

export class TreeTar {
  private readonly links = new Map<string, string>();
  private readonly closed: Promise<never>;

  constructor(
    private readonly pack: tar.Pack,
    private readonly opts: TreeTarOptions = {},
  ) {
    // A reader that goes away ends the walk: nothing waits for a callback that will never come.
    this.closed = new Promise<never>((_, reject) => pack.once('close', () => reject(new PackClosedError())));
    this.closed.catch(() => undefined);
  }

  private open<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.closed]);
  }

  /** `name` in `dirFd` ('' for dirFd itself) as the entry `tarName`, and under it its children. */
  async add(dirFd: number, name: string, tarName: string, containerPath: string): Promise<void> {
    const keep = this.opts.filter?.(containerPath) ?? 'keep';
    if (keep === 'skip') return;
    const st = name ? lstatAt(dirFd, name) : fs.fstatSync(dirFd);
    if (!st) return; // gone since the listing
    if (this.opts.overlay && st.isCharacterDevice() && st.rdev === 0) {
      const slash = tarName.lastIndexOf('/');
      const wh = `${tarName.slice(0, slash + 1)}.wh.${tarName.slice(slash + 1)}`;
      return this.entry({ name: wh, type: 'file', size: 0, mode: 0o644, mtime: st.mtime });
    }
    const base = { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, mtime: st.mtime };
    if (st.isDirectory()) {
      if (tarName) await this.entry({ ...base, name: `${tarName}/`, type: 'directory' });
      if (keep === 'bare') return;
      const fd = name ? openat(dirFd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : dirFd;
      try {
        if (this.opts.overlay && name && isOpaque(dirFd, name))
          await this.entry({
            name: `${tarName ? `${tarName}/` : ''}.wh..wh..opq`,
            type: 'file',
            size: 0,
            mode: 0o644,
            mtime: st.mtime,
          });
        let names: string[];
        try {
          names = fs.readdirSync(fdPath(fd)).sort();
        } catch {
          names = [];
        }
        for (const child of names) {
          const childPath = containerPath === '/' ? `/${child}` : `${containerPath}/${child}`;
          await this.add(fd, child, tarName ? `${tarName}/${child}` : child, childPath);
        }
      } finally {
        if (fd !== dirFd) closeFd(fd);
      }
      return;
    }
    if (st.isSymbolicLink()) {
      const target = readlinkat(dirFd, name) ?? '';
      return this.entry({ ...base, name: tarName, type: 'symlink', linkname: target });
    }
    if (st.isFIFO()) return this.entry({ ...base, name: tarName, type: 'fifo' });
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      const type = st.isCharacterDevice() ? 'character-device' : 'block-device';
      const devmajor = Number((BigInt(st.rdev) >> 8n) & 0xfffn) | Number((BigInt(st.rdev) >> 32n) & ~0xfffn);
      const devminor = Number(BigInt(st.rdev) & 0xffn) | Number((BigInt(st.rdev) >> 12n) & ~0xffn);
      return this.entry({ ...base, name: tarName, type, devmajor, devminor });
    }
    if (!st.isFile()) return; // a socket
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = this.links.get(key);
      if (first !== undefined)
        return this.entry({ ...base, name: tarName, type: 'link', linkname: first, size: 0 });
      this.links.set(key, tarName);
    }
    if (keep === 'bare') return this.entry({ ...base, name: tarName, type: 'file', size: 0 });
    await this.file(dirFd, name, { ...base, name: tarName, type: 'file', size: st.size });
  }

  private entry(header: Head): Promise<void> {
    if (this.pack.destroyed) return Promise.reject(new PackClosedError());
    return this.open(
      new Promise((resolve, reject) => {
        // A reader gone mid-entry is an error of the entry too: the walk learns it from the callback.
        const sink = this.pack.entry(header, Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
        sink.on('error', () => undefined);
      }),
    );
  }

  /** Exactly the size the header declares: a file that grew is cut, one that shrank is padded. */
  private async file(dirFd: number, name: string, header: Head): Promise<void> {
    let fd: number;
    try {
      fd = openat(dirFd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    } catch {
      return this.entry({ ...header, size: 0 }); // gone or swapped: nothing to read
    }
    try {
      if (this.pack.destroyed) throw new PackClosedError();
      const size = fs.fstatSync(fd).isFile() ? (header.size ?? 0) : 0;
      let done: () => void = () => undefined;
      let failed: (err: Error) => void = () => undefined;
      const written = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
      const sink = this.pack.entry({ ...header, size } as tar.Header, (err) => (err ? failed(err) : done()));
      sink.on('error', () => undefined);
      const buf = Buffer.alloc(CHUNK);
      for (let off = 0; off < size;) {
        const want = Math.min(CHUNK, size - off);
        let n = fs.readSync(fd, buf, 0, want, off);
        if (n === 0) {
          buf.fill(0, 0, want);
          n = want;
        }
        off += n;
        if (!sink.write(Buffer.from(buf.subarray(0, n)))) await this.open(once(sink, 'drain'));
      }
      sink.end(undefined as never);
      await this.open(written);
    } finally {
      closeFd(fd);
    }
  }
}

/** The parent is reached through its descriptor; the directory itself is not followed. */
export function isOpaque(dirFd: number, name: string): boolean {
  try {
    const v = lgetxattr(fdPath(dirFd, name), 'trusted.overlay.opaque');
    return v.length === 1 && v[0] === 0x79;
  } catch {
    return false;
  }
}
