/**
 * `PUT /containers/{id}/archive`: a client's tar extracted into a directory of a container, as
 * docker's extraction (moby's archive.Unpack in a chroot of the container's root) does it, but
 * by descriptor: every entry's parent is resolved beneath the container's root (openat2
 * RESOLVE_IN_ROOT: a symlink of the container or of the tar is followed as the container would,
 * never out of it), its last component is created, replaced, chowned, chmodded and timed
 * without following it. A name with `..` out of the destination, a symlink whose target leaves
 * it and a hard link to outside it are refused, as docker refuses them ("breakout").
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { ConflictError, InvalidArgumentError, TscomposeError } from '../../common/errors';
import { chmodAt, chownAt, lstatAt, removeAt, utimesAt } from '../../platform/linux/beneath';
import { S_IFBLK, S_IFCHR, S_IFIFO, makedev } from '../../platform/linux/fs-nodes';
import { PROC_SUPER_MAGIC, SYSFS_MAGIC, fsType } from '../../platform/linux/fs-type';
import type { SyscallError } from '../../platform/linux/lib';
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
import { closeFd } from '../../platform/linux/openat2';
import { mkdirAllInRoot } from '../runtime/init/securejoin';
import type { PutArchiveOptions } from '../../engine-api/container/archive-api';
import { checkHeader, quoted, tarFailure } from '../images/tar-checks';
import { canonical, notFound, openDirInRoot, requestPath } from './archive-path';

type Body = AsyncIterable<unknown>;

/** Bytes one entry may declare: as an image layer's (64 GiB), far above any real file. */
const MAX_ENTRY = 64 * 1024 ** 3;

const code = (err: unknown): string | undefined => (err as SyscallError).code;

function breakout(message: string): InvalidArgumentError {
  return new InvalidArgumentError(`archive/tar: ${message}`);
}

/** `name` relative to the destination, `..` taken lexically; undefined for the destination itself. */
function relativeName(name: string): string[] | undefined {
  const rel = path.posix.relative('/d', path.posix.join('/d', name));
  if (rel === '..' || rel.startsWith('../')) throw breakout(`${quoted(name)} is outside of the destination`);
  return rel ? rel.split('/') : undefined;
}

export async function extractArchive(
  rootFd: number,
  destPath: string,
  input: Readable,
  opts: PutArchiveOptions & { id: string; minFreeSpace: number },
): Promise<void> {
  const req = requestPath(destPath);
  const destParts = canonical(rootFd, req.parts);
  let destFd: number;
  try {
    destFd = openDirInRoot(rootFd, destParts);
  } catch (err) {
    if (code(err) === 'ENOTDIR') throw new InvalidArgumentError('extraction point is not a directory');
    if (['ENOENT', 'ELOOP', 'EXDEV'].includes(code(err) ?? '')) throw notFound(destPath, opts.id);
    throw err;
  }
  try {
    checkWritable(destFd, destPath);
  } finally {
    closeFd(destFd);
  }
  const writer = new Extractor(rootFd, destParts, opts);
  const extract = tar.extract();
  const feeding = pipeline(input, extract);
  feeding.catch(() => undefined);
  let current = '';
  try {
    for await (const entry of extract) {
      current = entry.header.name;
      checkHeader(entry.header, MAX_ENTRY);
      await writer.add(entry.header, entry);
    }
    current = '';
    await feeding;
    writer.finish();
  } catch (err) {
    extract.destroy();
    throw describe(tarFailure(err), current);
  }
}

/** No write lands on the kernel's own file systems (a running container's /proc and /sys). */
function checkWritable(fd: number, where: string): void {
  const type = fsType(fd);
  if (type === PROC_SUPER_MAGIC || type === SYSFS_MAGIC)
    throw new InvalidArgumentError(`cannot copy into ${where}: it is on the kernel's /proc or /sys`);
}

function describe(err: unknown, entry: string): unknown {
  if (err instanceof TscomposeError || !entry) return err;
  const c = code(err);
  if (c === 'EROFS') return new ConflictError('container rootfs is marked read-only');
  if (c === 'ENOSPC' || c === 'EDQUOT' || c === 'EMFILE') return err;
  if (c)
    return new InvalidArgumentError(`copying ${quoted(entry)}: ${(err as SyscallError).syscall ?? ''} ${c}`);
  return err;
}

class Extractor {
  private readonly dirTimes: [string[], Date][] = [];

  constructor(
    private readonly rootFd: number,
    private readonly destParts: string[],
    private readonly opts: PutArchiveOptions & { minFreeSpace: number },
  ) {}

  async add(header: tar.Header, body: Body): Promise<void> {
    const parts = relativeName(header.name);
    if (!parts) return drain(body); // `./`: the destination itself stays as it is
    const name = parts[parts.length - 1];
    const parentParts = [...this.destParts, ...parts.slice(0, -1)];
    const parent = this.openParent(parentParts);
    try {
      checkWritable(parent, '/' + parentParts.join('/'));
      const where = '/' + [...parentParts, name].join('/');
      const existing = lstatAt(parent, name);
      const isDir = header.type === 'directory';
      if (existing && this.opts.noOverwriteDirNonDir) {
        if (existing.isDirectory() && !isDir)
          throw new InvalidArgumentError(
            `cannot overwrite directory ${quoted(where)} with non-directory ${quoted(header.name)}`,
          );
        if (!existing.isDirectory() && isDir)
          throw new InvalidArgumentError(
            `cannot overwrite non-directory ${quoted(where)} with directory ${quoted(header.name)}`,
          );
      }
      if (existing && !(existing.isDirectory() && isDir)) removeAt(parent, name);
      if (await this.create(parent, name, parts, header, body)) {
        this.meta(parent, name, header);
        if (isDir && header.mtime) this.dirTimes.push([[...parentParts, name], header.mtime]);
      }
    } finally {
      closeFd(parent);
    }
  }

  /** Directory times last (their children changed them), deepest first. */
  finish(): void {
    for (const [parts, mtime] of this.dirTimes.reverse()) {
      try {
        const dir = openDirInRoot(this.rootFd, parts.slice(0, -1));
        try {
          utimesAt(dir, parts[parts.length - 1], mtime);
        } finally {
          closeFd(dir);
        }
      } catch {
        // replaced by a later entry
      }
    }
  }

  /** The parent, made (0755, root's) when missing, as docker's MkdirAll; a dangling symlink is followed inside the root. */
  private openParent(parts: string[]): number {
    try {
      return openDirInRoot(this.rootFd, parts);
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
    }
    return mkdirAllInRoot(this.rootFd, '/' + parts.join('/'), 'copy destination');
  }

  private async create(
    parent: number,
    name: string,
    parts: string[],
    header: tar.Header,
    body: Body,
  ): Promise<boolean> {
    const perm = (header.mode ?? 0) & 0o7777;
    switch (header.type) {
      case 'file':
      case 'contiguous-file':
        await writeFile(parent, name, body, this.opts.minFreeSpace);
        return true;
      case 'directory':
        if (!lstatAt(parent, name)?.isDirectory()) mkdirat(parent, name, 0o755);
        break;
      case 'symlink': {
        // docker's check: the target, taken from the link's directory, stays in the destination.
        const target = header.linkname ?? '';
        const rel = path.posix.relative('/d', path.posix.join('/d', ...parts.slice(0, -1), target));
        if (rel === '..' || rel.startsWith('../'))
          throw breakout(`invalid symlink ${quoted(header.name)} -> ${quoted(target)}`);
        symlinkat(target, parent, name);
        break;
      }
      case 'link': {
        const src = relativeName(header.linkname ?? '');
        if (!src)
          throw breakout(`invalid hardlink ${quoted(header.name)} -> ${quoted(header.linkname ?? '')}`);
        const srcDir = openDirInRoot(this.rootFd, [...this.destParts, ...src.slice(0, -1)]);
        try {
          const srcName = src[src.length - 1];
          const st = lstatAt(srcDir, srcName);
          if (!st || st.isDirectory())
            throw breakout(`invalid hardlink ${quoted(header.name)} -> ${quoted(header.linkname ?? '')}`);
          linkat(srcDir, srcName, parent, name);
        } finally {
          closeFd(srcDir);
        }
        await drain(body);
        return false;
      }
      case 'character-device':
        mknodat(parent, name, S_IFCHR | perm, makedev(header.devmajor ?? 0, header.devminor ?? 0));
        break;
      case 'block-device':
        mknodat(parent, name, S_IFBLK | perm, makedev(header.devmajor ?? 0, header.devminor ?? 0));
        break;
      case 'fifo':
        mknodat(parent, name, S_IFIFO | perm);
        break;
      default:
        await drain(body); // pax and GNU extension records tar-stream did not fold in
        return false;
    }
    await drain(body);
    return true;
  }

  /** Owner first (a chown clears setuid bits), then mode and times; root owns all without copyUIDGID. */
  private meta(dirFd: number, name: string, header: tar.Header): void {
    const keep = this.opts.copyUIDGID === true;
    chownAt(dirFd, name, keep ? (header.uid ?? 0) : 0, keep ? (header.gid ?? 0) : 0);
    if (header.type === 'symlink') {
      if (header.mtime) utimesAt(dirFd, name, header.mtime);
      return;
    }
    if (header.mode !== undefined) chmodAt(dirFd, name, header.mode & 0o7777);
    if (header.mtime && header.type !== 'directory') utimesAt(dirFd, name, header.mtime);
  }
}

/** Free space is looked at before each file and after every this many bytes written. */
const SPACE_CHECK_BYTES = 4 * 1024 * 1024;

/** The engine's disk reserve holds for a copy as for an image (SECURITY.md rule 7). */
function checkSpace(fd: number, minFree: number): void {
  const free = freeBytes(fd);
  if (free < minFree)
    throw new TscomposeError(
      `copy stopped: ${free} bytes free on the container's file system, below the reserve of ${minFree} (min-free-space)`,
      { code: 'NO_SPACE' },
    );
}

async function writeFile(parent: number, name: string, body: Body, minFree: number): Promise<void> {
  checkSpace(parent, minFree);
  const fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600);
  try {
    let since = 0;
    for await (const data of body) {
      const chunk = data as Buffer;
      for (let off = 0; off < chunk.length;) {
        const n = fs.writeSync(fd, chunk, off, chunk.length - off);
        off += n;
        since += n;
        if (since >= SPACE_CHECK_BYTES) {
          since = 0;
          checkSpace(fd, minFree);
        }
      }
    }
  } finally {
    closeFd(fd);
  }
}

async function drain(body: Body): Promise<void> {
  for await (const _ of body) void _;
}
