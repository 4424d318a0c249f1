/**
 * A path inside the container's root file system, resolved the way the container will see it:
 * symlinks in the image are followed relative to the container's root, never out of it (a
 * hostile image could otherwise make a bind mount or a write land on the host).
 */
import fs from 'node:fs';
import path from 'node:path';

const MAX_LINKS = 40;

export function resolveInRoot(root: string, unsafePath: string): string {
  const pending = unsafePath.split('/').filter((c) => c && c !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length) {
    const comp = pending.shift() as string;
    if (comp === '..') {
      done.pop();
      continue;
    }
    const host = path.join(root, ...done, comp);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(host);
    } catch {
      st = undefined; // missing: the rest is taken literally (to be created)
    }
    if (st?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new Error(`too many levels of symbolic links in ${unsafePath}`);
      const target = fs.readlinkSync(host);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/').filter((c) => c && c !== '.'));
      continue;
    }
    done.push(comp);
  }
  return path.join(root, ...done);
}

/** Creates a mount point (a directory, or an empty file when the source is not a directory). */
export function ensureMountPoint(hostPath: string, directory: boolean): void {
  if (fs.existsSync(hostPath)) return;
  if (directory) fs.mkdirSync(hostPath, { recursive: true, mode: 0o755 });
  else {
    fs.mkdirSync(path.dirname(hostPath), { recursive: true, mode: 0o755 });
    fs.closeSync(fs.openSync(hostPath, 'a', 0o644));
  }
}
