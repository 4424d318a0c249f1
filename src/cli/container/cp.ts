/**
 * `container cp` once its flags are read, as docker's client does it: one side is
 * `CONTAINER:PATH`, the other a local path or `-` (a tar on stdin or stdout). The engine is
 * asked for stats (HEAD archive) to decide where the tar goes and what its top entry is named
 * (a new name, into a directory, a symlink followed with -L), and the tar then travels once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, NotFoundError } from '../../common/errors';
import type { ContainerPathStat } from '../../engine-api/container/archive-api';
import type { EngineApi } from '../../engine-api/engine-api';
import { openEngine } from '../engine-client';
import { extractLocal, localSource, packLocal, splitDirEntry } from './cp-local';

export interface CpFlags {
  host?: string;
  archive?: boolean;
  followLink?: boolean;
  quiet?: boolean;
}

interface Side {
  container?: string;
  path: string;
}

const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
/** Go's ModeType bits other than a directory and a symlink: a device, pipe, socket, irregular file. */
const GO_IRREGULAR = 2 ** 26 + 2 ** 25 + 2 ** 24 + 2 ** 21 + 2 ** 19;

const isDir = (s: ContainerPathStat): boolean => (s.mode & GO_DIR) !== 0;
const isSymlink = (s: ContainerPathStat): boolean => (s.mode & GO_SYMLINK) !== 0;

/** docker's splitCpArg: an absolute or `.`-relative path is local; `name:path` names a container. */
export function splitCpArg(arg: string): Side {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

export async function copy(srcArg: string, dstArg: string, flags: CpFlags): Promise<void> {
  const src = splitCpArg(srcArg);
  const dst = splitCpArg(dstArg);
  if (src.container && dst.container)
    throw new InvalidArgumentError('copying between containers is not supported');
  if (!src.container && !dst.container)
    throw new InvalidArgumentError('must specify at least one container source');
  if (src.container && !src.path) throw new InvalidArgumentError('source can not be empty');
  if (dst.container && !dst.path) throw new InvalidArgumentError('destination can not be empty');
  const engine = await openEngine(flags);
  if (src.container) return copyFrom(engine, src.container, src.path, dst.path, flags);
  return copyTo(engine, src.path, dst.container as string, dst.path, flags);
}

function done(size: number, where: string, flags: CpFlags): void {
  if (flags.quiet || !process.stderr.isTTY) return;
  process.stderr.write(`Successfully copied ${humanSize(size)} to ${where}\n`);
}

function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

async function copyFrom(
  engine: EngineApi,
  container: string,
  srcPath: string,
  dstPath: string,
  flags: CpFlags,
): Promise<void> {
  let path_ = srcPath;
  let rebaseName: string | undefined;
  if (flags.followLink) {
    const st = await engine.statContainerPath(container, srcPath).catch(() => undefined);
    if (st && isSymlink(st)) {
      let target = st.linkTarget;
      if (!target.startsWith('/')) target = path.posix.join(path.posix.dirname(srcPath), target);
      if (path.posix.basename(srcPath) !== path.posix.basename(target))
        rebaseName = path.posix.basename(srcPath);
      path_ = target;
    }
  }
  const { stat, tar } = await engine.getContainerArchive(container, path_);
  if (dstPath === '-') {
    await pipeline(tar, process.stdout);
    return;
  }
  const srcBase = stat.name === '/' ? '.' : stat.name;
  const from = rebaseName ?? srcBase;
  // docker's CopyInfoDestinationPath: the destination's symlinks are followed on the host.
  let dst = path.resolve(dstPath);
  const st = fs.statSync(dst, { throwIfNoEntry: false });
  if (st) dst = fs.realpathSync(dst);
  const [dstDir, dstBase] = splitDirEntry(dst);
  let size: number;
  if (st?.isDirectory()) {
    size = await extractLocal(tar, dst, srcBase, from);
  } else if (st && isDir(stat)) {
    tar.destroy();
    throw new InvalidArgumentError('cannot copy directory');
  } else {
    if (!st && !isDir(stat) && (dstPath.endsWith('/') || dstPath.endsWith('/.'))) {
      tar.destroy();
      throw new InvalidArgumentError('no such directory');
    }
    if (!fs.existsSync(dstDir)) {
      tar.destroy();
      throw new NotFoundError(`lstat ${dstDir}: no such file or directory`);
    }
    size = await extractLocal(tar, dstDir, srcBase, dstBase);
  }
  done(size, dstPath, flags);
}

async function copyTo(
  engine: EngineApi,
  srcPath: string,
  container: string,
  dstPath: string,
  flags: CpFlags,
): Promise<void> {
  let dstInfoPath = dstPath;
  let dstStat = await engine.statContainerPath(container, dstPath).catch(() => undefined);
  if (dstStat && isSymlink(dstStat)) {
    let target = dstStat.linkTarget;
    if (!target.startsWith('/')) target = path.posix.join(path.posix.dirname(dstPath), target);
    dstInfoPath = target;
    dstStat = await engine.statContainerPath(container, target).catch(() => undefined);
  }
  if (dstStat && (dstStat.mode & GO_IRREGULAR) !== 0)
    throw new InvalidArgumentError(
      `destination "${container}:${dstPath}" must be a directory or a regular file`,
    );
  const opts = { noOverwriteDirNonDir: true, copyUIDGID: flags.archive === true };
  if (srcPath === '-') {
    if (!dstStat || !isDir(dstStat))
      throw new InvalidArgumentError(`destination "${container}:${dstPath}" must be a directory`);
    return engine.putContainerArchive(container, dstInfoPath, process.stdin, opts);
  }
  const src = localSource(srcPath, flags.followLink === true);
  const [, srcBase0] = splitDirEntry(src.path);
  const srcBase = src.rebaseName ?? srcBase0;
  const dstNorm = path.posix.resolve('/', dstInfoPath) + (dstInfoPath.endsWith('/') ? '/' : '');
  const dstDir = path.posix.dirname(path.posix.resolve('/', dstInfoPath));
  const dstBase = path.posix.basename(path.posix.resolve('/', dstInfoPath));
  let dir: string;
  let name: string;
  if (dstStat && isDir(dstStat)) {
    dir = dstInfoPath;
    name = srcBase;
  } else if (dstStat && src.isDir) {
    throw new InvalidArgumentError('cannot copy directory');
  } else if (!dstStat && !src.isDir && (dstNorm.endsWith('/') || dstInfoPath.endsWith('/.'))) {
    throw new InvalidArgumentError('no such directory');
  } else {
    dir = dstDir;
    name = dstBase;
  }
  const size = src.isDir ? 0 : fs.statSync(src.path).size;
  await engine.putContainerArchive(container, dir, packLocal(src.path, name), opts);
  done(size, `${container}:${dstPath}`, flags);
}
