/**
 * One layer tar unpacked into a directory in overlay form, keeping modes, owners, times, xattrs,
 * links, device nodes and FIFOs: a `.wh.<name>` whiteout becomes a 0:0 character device, an opaque
 * directory (`.wh..wh..opq`) gets `trusted.overlay.opaque=y`. Paths that would leave the layer
 * directory are refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { TscomposeError } from '../../errors';
import { S_IFBLK, S_IFCHR, S_IFIFO, lchown, lsetxattr, makedev, mknod } from '../linux/fs-nodes';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Resolves to the layer's size: the bytes of its files, as docker counts an image's size. */
export async function unpackLayer(input: Readable, dest: string): Promise<{ size: number }> {
  fs.mkdirSync(dest, { recursive: true });
  let size = 0;
  const dirTimes: [string, Date][] = [];
  const extract = tar.extract();
  // The first failure is kept and the rest of the tar drained, so the stream ends cleanly.
  let failure: unknown;
  extract.on('entry', (header, stream, next) => {
    const done = (err?: unknown) => {
      failure ??= err;
      next();
    };
    if (failure) {
      stream.resume();
      stream.on('end', () => next());
      return;
    }
    try {
      const target = safeJoin(dest, header.name);
      if (target === dest) {
        // `./`, the layer's own root, as `tar -C dir .` and `docker export` write it
        if (header.type === 'directory') applyMeta(dest, header);
        stream.resume();
        stream.on('end', () => done());
        return;
      }
      const base = path.basename(target);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      insideRoot(dest, path.dirname(target), header.name);
      if (base === OPAQUE) {
        lsetxattr(path.dirname(target), 'trusted.overlay.opaque', Buffer.from('y'));
        stream.resume();
        stream.on('end', () => done());
        return;
      }
      if (base.startsWith(WHITEOUT)) {
        const hidden = path.join(path.dirname(target), base.slice(WHITEOUT.length));
        fs.rmSync(hidden, { recursive: true, force: true });
        mknod(hidden, S_IFCHR | 0o000, makedev(0, 0));
        stream.resume();
        stream.on('end', () => done());
        return;
      }
      // An entry replaces what an earlier one put there, except that a directory merges with a directory.
      if (header.type !== 'directory' || !dirOrNothing(target))
        fs.rmSync(target, { recursive: true, force: true });
      const finish = () => {
        applyMeta(target, header);
        if (header.type === 'directory' && header.mtime) dirTimes.push([target, header.mtime]);
        done();
      };
      switch (header.type) {
        case 'file':
        case 'contiguous-file': {
          size += header.size ?? 0;
          const out = fs.createWriteStream(target, { mode: 0o600 });
          stream.pipe(out);
          out.on('finish', finish);
          out.on('error', done);
          return;
        }
        case 'directory':
          fs.mkdirSync(target, { recursive: true });
          break;
        case 'symlink':
          fs.symlinkSync(header.linkname ?? '', target);
          break;
        case 'link':
          fs.linkSync(safeJoin(dest, header.linkname ?? ''), target);
          break;
        case 'character-device':
          mknod(
            target,
            S_IFCHR | ((header.mode ?? 0) & 0o7777),
            makedev(header.devmajor ?? 0, header.devminor ?? 0),
          );
          break;
        case 'block-device':
          mknod(
            target,
            S_IFBLK | ((header.mode ?? 0) & 0o7777),
            makedev(header.devmajor ?? 0, header.devminor ?? 0),
          );
          break;
        case 'fifo':
          mknod(target, S_IFIFO | ((header.mode ?? 0) & 0o7777));
          break;
        default:
          break; // pax headers and the like carry nothing to create
      }
      stream.resume();
      stream.on('end', () => (header.type === 'link' ? done() : finish()));
    } catch (err) {
      stream.resume();
      done(err);
    }
  });
  await pipeline(input, extract);
  if (failure) throw failure;
  // Directory times last: creating their children changed them.
  for (const [dir, mtime] of dirTimes.reverse()) fs.utimesSync(dir, mtime, mtime);
  return { size };
}

/** Owner first, then mode: chown clears setuid/setgid bits. Symlinks have no mode of their own. */
function applyMeta(target: string, header: tar.Header): void {
  lchown(target, header.uid ?? 0, header.gid ?? 0);
  applyXattrs(target, header);
  if (header.type === 'symlink') return;
  if (header.mode !== undefined) fs.chmodSync(target, header.mode & 0o7777);
  if (header.mtime && header.type !== 'directory') fs.utimesSync(target, header.mtime, header.mtime);
}

function dirOrNothing(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return true;
  }
}

const XATTR_PREFIX = 'SCHILY.xattr.';

/**
 * Extended attributes travel as PAX records (`SCHILY.xattr.<name>`), as Go's archive/tar and GNU
 * tar write them. tar-stream hands the values over as UTF-8 text, so a binary value with bytes
 * that are not UTF-8 cannot come through unchanged.
 */
function applyXattrs(target: string, header: tar.Header): void {
  const pax = header.pax as Record<string, string> | null | undefined;
  for (const [key, value] of Object.entries(pax ?? {})) {
    if (key.startsWith(XATTR_PREFIX))
      lsetxattr(target, key.slice(XATTR_PREFIX.length), Buffer.from(value, 'utf8'));
  }
}

/** A symlink unpacked earlier must not lead a later entry out of the layer (`a -> /etc`, then `a/passwd`). */
function insideRoot(root: string, dir: string, name: string): void {
  const real = fs.realpathSync(dir);
  const realRoot = fs.realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new TscomposeError(`layer entry ${JSON.stringify(name)} escapes the layer through a symlink`, {
      code: 'BAD_LAYER',
    });
  }
}

function safeJoin(root: string, name: string): string {
  const clean = path.posix.normalize('/' + name.replace(/\\/g, '/')).replace(/\/+$/, '');
  const target = path.join(root, clean);
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new TscomposeError(`layer entry ${JSON.stringify(name)} escapes the layer`, { code: 'BAD_LAYER' });
  }
  return target;
}
