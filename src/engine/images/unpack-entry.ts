/**
 * One tar entry written into a layer through descriptors (linux/beneath.ts): the parent is
 * resolved beneath the layer root, created a component at a time when missing, and the entry's
 * last component is created, linked, removed, chowned, chmodded and timed without following it.
 */
import fs from 'node:fs';
import type * as tar from 'tar-stream';
import {
  BeneathRoot,
  chmodAt,
  chownAt,
  lstatAt,
  removeAt,
  setXattrAt,
  utimesAt,
} from '../../platform/linux/beneath';
import {
  O_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_WRONLY,
  freeBytes,
  linkat,
  mkdirat,
  mknodat,
  openat,
  symlinkat,
} from '../../platform/linux/fs-at';
import { S_IFBLK, S_IFCHR, S_IFIFO, makedev } from '../../platform/linux/fs-nodes';
import type { SyscallError } from '../../platform/linux/lib';
import { TscomposeError } from '../../common/errors';
import { badLayer, quoted } from './tar-checks';

/** An entry's data as tar-stream hands it over (Buffers). */
type Body = AsyncIterable<unknown>;

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const XATTR_PREFIX = 'SCHILY.xattr.';
/** Free space is looked at before each file and after every this many bytes written. */
const SPACE_CHECK_BYTES = 4 * 1024 * 1024;
const WRITE_SLICE = 1024 * 1024;

export interface UnpackLimits {
  /** Bytes of file content the layer may hold. */
  maxLayerSize: number;
  /** Free bytes the file system under the layer must keep. */
  minFreeSpace: number;
}

/** Components of an entry's name, `..` clamped at the layer root as tar does with `-P` off. */
export function entryParts(name: string): string[] {
  const parts: string[] = [];
  for (const p of name.replace(/\\/g, '/').split('/')) {
    if (p === '..') parts.pop();
    else if (p && p !== '.') parts.push(p);
  }
  return parts;
}

export class LayerWriter {
  private readonly root: BeneathRoot;
  /** Bytes of the files written, as docker counts an image's size. */
  size = 0;
  private sinceSpaceCheck = 0;
  private readonly dirTimes: [string[], Date][] = [];

  constructor(
    dest: string,
    private readonly limits: UnpackLimits,
  ) {
    this.root = new BeneathRoot(dest);
  }

  close(): void {
    this.root.close();
  }

  async add(header: tar.Header, body: Body): Promise<void> {
    const parts = entryParts(header.name);
    const name = parts.pop();
    if (name === undefined) {
      // `./`, the layer's own root, as `tar -C dir .` and `docker export` write it
      if (header.type === 'directory') applyMeta(this.root.fd, '', header);
      return drain(body);
    }
    const parent = this.root.openDir(parts, true);
    try {
      if (await this.create(parent, name, header, body)) {
        applyMeta(parent, name, header);
        if (header.type === 'directory' && header.mtime) this.dirTimes.push([[...parts, name], header.mtime]);
      }
    } finally {
      fs.closeSync(parent);
    }
  }

  /** Directory times last, since creating their children changed them; children before their parents. */
  finish(): void {
    for (const [parts, mtime] of this.dirTimes.reverse()) {
      const name = parts[parts.length - 1];
      let dir: number;
      try {
        dir = this.root.openDir(parts.slice(0, -1), false);
      } catch {
        continue; // a later entry replaced a parent; nothing of this directory is left to time
      }
      try {
        utimesAt(dir, name, mtime);
      } catch (err) {
        if ((err as SyscallError).code !== 'ENOENT') throw err;
      } finally {
        fs.closeSync(dir);
      }
    }
  }

  /** True when the entry left a file whose owner, mode and times are the header's. */
  private async create(parent: number, name: string, header: tar.Header, body: Body): Promise<boolean> {
    if (name === OPAQUE) {
      setXattrAt(parent, '', 'trusted.overlay.opaque', Buffer.from('y'));
      await drain(body);
      return false;
    }
    if (name.startsWith(WHITEOUT)) {
      const hidden = name.slice(WHITEOUT.length);
      if (hidden === '' || hidden === '.' || hidden === '..') {
        throw badLayer(`layer entry ${quoted(header.name)} is a whiteout of no file`);
      }
      removeAt(parent, hidden);
      mknodat(parent, hidden, S_IFCHR, 0n);
      await drain(body);
      return false;
    }
    // An entry replaces what an earlier one put there, except that a directory merges with a directory.
    const existing = lstatAt(parent, name);
    if (existing && !(header.type === 'directory' && existing.isDirectory())) removeAt(parent, name);
    const perm = (header.mode ?? 0) & 0o7777;
    const dev = () => makedev(header.devmajor ?? 0, header.devminor ?? 0);
    switch (header.type) {
      case 'file':
      case 'contiguous-file':
        await this.writeFile(parent, name, header, body);
        return true;
      case 'directory':
        if (!existing?.isDirectory()) mkdirat(parent, name, 0o755);
        break;
      case 'symlink':
        symlinkat(header.linkname ?? '', parent, name);
        break;
      case 'link':
        this.hardLink(parent, name, header);
        await drain(body);
        return false;
      case 'character-device':
        mknodat(parent, name, S_IFCHR | perm, dev());
        break;
      case 'block-device':
        mknodat(parent, name, S_IFBLK | perm, dev());
        break;
      case 'fifo':
        mknodat(parent, name, S_IFIFO | perm);
        break;
      default:
        throw badLayer(`layer entry ${quoted(header.name)} has a type the engine cannot unpack`);
    }
    await drain(body);
    return true;
  }

  /** The source resolves beneath the same layer root, never through a symlink out, and is no directory. */
  private hardLink(parent: number, name: string, header: tar.Header): void {
    const srcParts = entryParts(header.linkname ?? '');
    const srcName = srcParts.pop();
    if (srcName === undefined) throw badLayer(`layer entry ${quoted(header.name)} links to the layer root`);
    const srcDir = this.root.openDir(srcParts, false);
    try {
      const src = lstatAt(srcDir, srcName);
      if (!src) throw badLayer(`layer entry ${quoted(header.name)} links to a missing file`);
      if (src.isDirectory()) throw badLayer(`layer entry ${quoted(header.name)} links to a directory`);
      linkat(srcDir, srcName, parent, name);
    } finally {
      fs.closeSync(srcDir);
    }
  }

  private async writeFile(parent: number, name: string, header: tar.Header, body: Body): Promise<void> {
    const declared = header.size ?? 0;
    if (this.size + declared > this.limits.maxLayerSize) {
      throw new TscomposeError(
        `layer unpacks to more than ${this.limits.maxLayerSize} bytes (max-layer-size) at ${quoted(header.name)}`,
        { code: 'BAD_LAYER' },
      );
    }
    this.checkSpace();
    this.size += declared;
    const fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600);
    try {
      for await (const data of body) {
        const chunk = data as Buffer;
        // A chunk may be the whole file (a tar read from memory): the reserve is looked at within it too.
        for (let off = 0; off < chunk.length;) {
          const n = fs.writeSync(fd, chunk, off, Math.min(chunk.length - off, WRITE_SLICE));
          off += n;
          this.sinceSpaceCheck += n;
          if (this.sinceSpaceCheck >= SPACE_CHECK_BYTES) this.checkSpace();
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private checkSpace(): void {
    this.sinceSpaceCheck = 0;
    const free = freeBytes(this.root.fd);
    if (free < this.limits.minFreeSpace) {
      throw new TscomposeError(
        `unpacking stopped: ${free} bytes free on the image store's file system, below the reserve of ${this.limits.minFreeSpace} (min-free-space)`,
        { code: 'NO_SPACE' },
      );
    }
  }
}

/** Reads what an entry carries that the layer does not keep (a link's or device's data, if any). */
async function drain(body: Body): Promise<void> {
  for await (const _ of body) void _;
}

/** Owner first, then mode: chown clears setuid/setgid bits. Symlinks have no mode of their own. */
function applyMeta(dirfd: number, name: string, header: tar.Header): void {
  chownAt(dirfd, name, header.uid ?? 0, header.gid ?? 0);
  const pax = header.pax as Record<string, string> | null | undefined;
  // Go's archive/tar and GNU tar carry xattrs as `SCHILY.xattr.<name>`; tar-stream hands them over
  // as UTF-8 text, so a binary value that is not UTF-8 cannot come through unchanged.
  for (const [key, value] of Object.entries(pax ?? {})) {
    if (key.startsWith(XATTR_PREFIX))
      setXattrAt(dirfd, name, key.slice(XATTR_PREFIX.length), Buffer.from(value, 'utf8'));
  }
  if (header.type === 'symlink') return;
  if (header.mode !== undefined) chmodAt(dirfd, name, header.mode & 0o7777);
  if (header.mtime && header.type !== 'directory') utimesAt(dirfd, name, header.mtime);
}
