/**
 * The host side of `container cp`, as docker's client does it (moby's pkg/archive CopyInfo,
 * TarResource, PrepareArchiveCopy, Untar): a local path packed into a tar whose top entry may be
 * renamed, and a tar from the engine extracted into a local directory, its top entry renamed to
 * the destination's name. Extraction keeps modes and times but not owners (docker's NoLchown),
 * refuses a name that leaves the destination or goes through a symlink, and never replaces a
 * directory with a non-directory or the other way round.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { InvalidArgumentError } from '../../common/errors';

/** `path` split as docker's SplitPathDirEntry: a trailing `/.` keeps `.` as the entry. */
export function splitDirEntry(p: string): [string, string] {
  let cleaned = path.resolve(p);
  if (p === '.' || p.endsWith('/.')) cleaned = `${cleaned}/.`;
  return [path.dirname(cleaned), path.basename(cleaned)];
}

/** A name of the archive with its top component `from` replaced by `to`. */
export function rebase(name: string, from: string, to: string): string {
  if (from === to) return name;
  const trimmed = name.replace(/^\.\//, '');
  const src = from === '.' ? name : trimmed;
  if (src === from || src === `${from}/`) return to + src.slice(from.length);
  if (src.startsWith(`${from}/`)) return to + src.slice(from.length);
  return name;
}

export interface LocalSource {
  path: string;
  isDir: boolean;
  /** docker's RebaseName: the name the user gave when a symlink was followed. */
  rebaseName?: string;
}

/** docker's CopyInfoSourcePath: the directory part always followed, the last part only with -L. */
export function localSource(p: string, followLink: boolean): LocalSource {
  const abs = path.resolve(p) + (p.endsWith('/') ? '/' : '');
  let resolved: string;
  let rebaseName: string | undefined;
  try {
    if (followLink) {
      resolved = fs.realpathSync(abs);
      if (path.basename(abs) !== path.basename(resolved)) rebaseName = path.basename(abs);
    } else {
      const [dir, base] = [path.dirname(path.resolve(abs)), path.basename(path.resolve(abs))];
      resolved = path.join(fs.realpathSync(dir), base);
      if (abs.endsWith('/')) {
        const real = fs.realpathSync(abs);
        if (path.basename(real) !== base) rebaseName = base;
        resolved = real;
      }
    }
    // `dir/.` copies what is in the directory, not the directory: the `.` stays the entry.
    if (p === '.' || p.endsWith('/.')) resolved = `${resolved}/.`;
    return { path: resolved, isDir: fs.lstatSync(resolved).isDirectory(), rebaseName };
  } catch (err) {
    throw new InvalidArgumentError(`lstat ${abs}: no such file or directory`, { cause: err });
  }
}

/** A tar of `src`, its top entry named `topName` (default: its own base name). */
export function packLocal(src: string, topName?: string): Readable {
  const [dir, base] = splitDirEntry(src);
  const pack = tar.pack();
  const links = new Map<string, string>();
  const entry = (header: Partial<tar.Header> & { name: string }, body?: Readable): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!body) {
        pack.entry(header, Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
        return;
      }
      const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
      pipeline(body, sink).catch(reject);
    });
  const walk = async (full: string, name: string): Promise<void> => {
    const st = fs.lstatSync(full);
    const base = { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, mtime: st.mtime };
    if (st.isDirectory()) {
      await entry({ ...base, name: `${name}/`, type: 'directory' });
      for (const child of fs.readdirSync(full).sort()) await walk(path.join(full, child), `${name}/${child}`);
    } else if (st.isSymbolicLink()) {
      await entry({ ...base, name, type: 'symlink', linkname: fs.readlinkSync(full) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? links.get(key) : undefined;
      if (first !== undefined) return entry({ ...base, name, type: 'link', linkname: first });
      if (st.nlink > 1) links.set(key, name);
      await entry(
        { ...base, name, type: 'file', size: st.size },
        fs.createReadStream(full, { end: st.size - 1 }),
      );
    } else if (st.isFIFO()) await entry({ ...base, name, type: 'fifo' });
  };
  walk(base === '.' ? dir + '/.' : path.join(dir, base), topName ?? base).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return pack as unknown as Readable;
}

/** Extracts `input` into the existing directory `dstDir`, the top entry `from` renamed to `to`. */
export async function extractLocal(
  input: Readable,
  dstDir: string,
  from?: string,
  to?: string,
): Promise<number> {
  const extract = tar.extract();
  const feeding = pipeline(input, extract);
  feeding.catch(() => undefined);
  const dirTimes: [string, Date][] = [];
  let size = 0;
  for await (const e of extract) {
    const h = e.header;
    const name = from !== undefined && to !== undefined ? rebase(h.name, from, to) : h.name;
    const rel = path.posix.normalize(name).replace(/^\/+/, '').replace(/\/+$/, '');
    if (rel === '..' || rel.startsWith('../'))
      throw new InvalidArgumentError(`invalid archive entry ${JSON.stringify(h.name)}`);
    if (rel === '.' || rel === '') {
      for await (const _ of e) void _;
      continue;
    }
    const target = path.join(dstDir, rel);
    // No entry writes through a symlink, wherever it came from.
    let walkAt = dstDir;
    for (const part of rel.split('/').slice(0, -1)) {
      walkAt = path.join(walkAt, part);
      const st = fs.lstatSync(walkAt, { throwIfNoEntry: false });
      if (st?.isSymbolicLink())
        throw new InvalidArgumentError(`invalid archive entry ${JSON.stringify(h.name)}: through a symlink`);
      if (!st) fs.mkdirSync(walkAt, { mode: 0o755 });
    }
    const existing = fs.lstatSync(target, { throwIfNoEntry: false });
    const isDir = h.type === 'directory';
    if (existing?.isDirectory() && !isDir)
      throw new InvalidArgumentError(`cannot overwrite directory "${target}" with non-directory "${h.name}"`);
    if (existing && !existing.isDirectory() && isDir)
      throw new InvalidArgumentError(`cannot overwrite non-directory "${target}" with directory "${h.name}"`);
    if (existing && !isDir) fs.rmSync(target, { force: true });
    const mode = (h.mode ?? 0o644) & 0o7777;
    switch (h.type) {
      case 'directory':
        if (!existing) fs.mkdirSync(target, { mode });
        fs.chmodSync(target, mode);
        if (h.mtime) dirTimes.push([target, h.mtime]);
        break;
      case 'symlink':
        fs.symlinkSync(h.linkname ?? '', target);
        break;
      case 'link': {
        const src = path.posix.normalize(rebase(h.linkname ?? '', from ?? '', to ?? ''));
        if (src.startsWith('../'))
          throw new InvalidArgumentError(`invalid hardlink ${JSON.stringify(h.name)}`);
        fs.linkSync(path.join(dstDir, src), target);
        break;
      }
      case 'file':
      case 'contiguous-file':
        await pipeline(e, fs.createWriteStream(target, { mode, flags: 'wx' }));
        fs.chmodSync(target, mode);
        size += h.size ?? 0;
        break;
      default:
        break; // device nodes and FIFOs are not made on the host side (Node has no mknod)
    }
    for await (const _ of e) void _;
    if (h.mtime && h.type !== 'directory' && h.type !== 'symlink') fs.utimesSync(target, h.mtime, h.mtime);
  }
  await feeding;
  for (const [dir, mtime] of dirTimes.reverse()) fs.utimesSync(dir, mtime, mtime);
  return size;
}
