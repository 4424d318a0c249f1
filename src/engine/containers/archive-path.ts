/**
 * Paths of `docker cp` inside a container, resolved beneath its root by descriptor: the path is
 * walked a component at a time as the container would (a symlink's target taken from the
 * container's `/`, `..` never above it) to find the name docker reports, and every file is then
 * opened with openat2(RESOLVE_IN_ROOT) from the root's descriptor, so nothing swapped in between
 * can lead out of the container.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../../common/errors';
import { lstatAt } from '../../platform/linux/beneath';
import type { SyscallError } from '../../platform/linux/lib';
import {
  O_CLOEXEC,
  O_DIRECTORY,
  O_PATH,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
  closeFd,
  openat2,
  readlinkat,
} from '../../platform/linux/openat2';
import type { ContainerPathStat } from '../../engine-api/container/archive-api';

const IN_ROOT = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
/** As the kernel's own limit on symlinks in one resolution. */
const MAX_LINKS = 40;

const code = (err: unknown): string | undefined => (err as SyscallError).code;

/** An O_PATH descriptor of the directory `parts` beneath the root (symlinks followed inside it). */
export function openDirInRoot(rootFd: number, parts: readonly string[]): number {
  return openat2(rootFd, parts.join('/') || '.', O_PATH | O_DIRECTORY | O_CLOEXEC, IN_ROOT);
}

/** `parts` with every symlink replaced by its target, as the container would resolve them. */
export function canonical(rootFd: number, parts: readonly string[]): string[] {
  const out: string[] = [];
  const rest = [...parts];
  let links = 0;
  while (rest.length) {
    const c = rest.shift() as string;
    if (c === '.' || c === '') continue;
    if (c === '..') {
      out.pop();
      continue;
    }
    let target: string | undefined;
    try {
      const dir = openDirInRoot(rootFd, out);
      try {
        target = readlinkat(dir, c);
      } finally {
        closeFd(dir);
      }
    } catch {
      target = undefined; // the kernel's resolution below says why
    }
    if (target === undefined) {
      out.push(c);
      continue;
    }
    if (++links > MAX_LINKS)
      throw new InvalidArgumentError(
        `too many levels of symbolic links in ${path.posix.join('/', ...parts)}`,
      );
    if (target.startsWith('/')) out.length = 0;
    rest.unshift(...target.split('/'));
  }
  return out;
}

/** A path of a request as docker takes it: absolute in the container; a trailing `/` or `/.` says "the directory". */
export function requestPath(p: string): { abs: string; parts: string[]; followLast: boolean } {
  const abs = path.posix.resolve('/', p);
  const parts = abs.split('/').filter(Boolean);
  return { abs, parts, followLast: p.endsWith('/') || p.endsWith('/.') || p === '.' || parts.length === 0 };
}

export function notFound(p: string, id: string): NotFoundError {
  return new NotFoundError(`Could not find the file ${p} in container ${id}`);
}

export interface ResolvedPath {
  /** The parent's descriptor (O_PATH); the caller closes it. */
  dirFd: number;
  /** The entry in dirFd; '' when dirFd is the entry itself (a directory reached by following). */
  name: string;
  st: fs.Stats;
  /** Canonical components of the entry (of its target when followed). */
  parts: string[];
  stat: ContainerPathStat;
}

/**
 * docker's ResolvePath + StatPath: the parent is followed, the last component is not (a symlink
 * is reported as one, its target resolved in the container) unless the path ends in `/`.
 */
export function resolvePath(rootFd: number, userPath: string, id: string): ResolvedPath {
  const req = requestPath(userPath);
  // docker's filepath.Base of the path with a trailing `/.` kept: `.` names the directory's content.
  const dotted = userPath === '.' || userPath.endsWith('/.');
  const displayName =
    dotted && req.parts.length ? '.' : req.parts.length ? req.parts[req.parts.length - 1] : '/';
  let dirParts: string[];
  let name: string;
  if (req.followLast) {
    dirParts = canonical(rootFd, req.parts);
    name = '';
  } else {
    dirParts = canonical(rootFd, req.parts.slice(0, -1));
    name = req.parts[req.parts.length - 1];
  }
  let dirFd: number;
  try {
    dirFd = openDirInRoot(rootFd, dirParts);
  } catch (err) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP', 'EXDEV'].includes(code(err) ?? '')) throw notFound(userPath, id);
    throw err;
  }
  try {
    const st = name ? lstatAt(dirFd, name) : fs.fstatSync(dirFd);
    if (!st) throw notFound(userPath, id);
    let linkTarget = '';
    if (st.isSymbolicLink()) linkTarget = path.posix.join('/', ...canonical(rootFd, req.parts));
    return {
      dirFd,
      name,
      st,
      parts: name ? [...dirParts, name] : dirParts,
      stat: { name: displayName, size: st.size, mode: goFileMode(st), mtime: goTime(st), linkTarget },
    };
  } catch (err) {
    closeFd(dirFd);
    throw err;
  }
}

/** Go's os.FileMode bits, which the docker CLI reads the stat's mode as. */
const GO = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
};

export function goFileMode(st: fs.Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m += GO.dir;
  else if (st.isSymbolicLink()) m += GO.symlink;
  else if (st.isFIFO()) m += GO.namedPipe;
  else if (st.isSocket()) m += GO.socket;
  else if (st.isCharacterDevice()) m += GO.device + GO.charDevice;
  else if (st.isBlockDevice()) m += GO.device;
  if (st.mode & 0o4000) m += GO.setuid;
  if (st.mode & 0o2000) m += GO.setgid;
  if (st.mode & 0o1000) m += GO.sticky;
  return m;
}

/** RFC 3339 with the nanoseconds Go prints (trailing zeros dropped), in UTC. */
function goTime(st: fs.Stats): string {
  const ns = BigInt(Math.round(st.mtimeMs * 1e6));
  const secs = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(secs) * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}
