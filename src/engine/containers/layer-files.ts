/**
 * Reads a file of an image as the container will see it, straight from the unpacked layer
 * directories, before any overlay is mounted: the daemon needs the image's /etc/passwd and
 * /etc/group at create time. Follows overlayfs' rules: the top-most layer holding a name wins, a
 * 0:0 character device is a whiteout (the name is deleted below), a directory marked
 * `trusted.overlay.opaque=y` hides the same directory in lower layers, and symlinks resolve
 * inside the image, never on the host.
 */
import fs from 'node:fs';
import path from 'node:path';
import { libc } from '../../platform/linux/lib';

const lgetxattrFn = libc.func(
  'long lgetxattr(const char *path, const char *name, _Out_ uint8_t *value, size_t size)',
);

/** As the kernel's path resolution gives up (ELOOP). */
const MAX_SYMLINKS = 40;

type Entry =
  | { kind: 'missing' }
  | { kind: 'dir'; dirs: string[] }
  | { kind: 'link'; target: string }
  | { kind: 'file'; hostPath: string };

/** The host path of `file` (absolute, inside the image) in `layerDirs` (top-most first), or undefined. */
export function findImageFile(layerDirs: readonly string[], file: string): string | undefined {
  let wanted = path.posix.resolve('/', file);
  for (let hops = 0; hops <= MAX_SYMLINKS; hops++) {
    const parts = wanted.split('/').filter(Boolean);
    let dirs = [...layerDirs];
    let followed: string | undefined;
    for (let i = 0; i < parts.length; i++) {
      const entry = lookup(dirs, parts[i]);
      const last = i === parts.length - 1;
      if (entry.kind === 'missing') return undefined;
      if (entry.kind === 'link') {
        const here = '/' + parts.slice(0, i).join('/');
        followed = path.posix.resolve(here, entry.target, ...parts.slice(i + 1));
        break;
      }
      if (entry.kind === 'file') return last ? entry.hostPath : undefined;
      if (last) return undefined; // a directory is not a file to read
      dirs = entry.dirs;
    }
    if (followed === undefined) return undefined;
    wanted = followed;
  }
  return undefined;
}

/** The text of an image file, or undefined when the image does not have it. */
export function readImageFile(layerDirs: readonly string[], file: string): string | undefined {
  const hostPath = findImageFile(layerDirs, file);
  return hostPath === undefined ? undefined : fs.readFileSync(hostPath, 'utf8');
}

/** One name in a merged directory made of `dirs` (the same directory in each layer, top first). */
function lookup(dirs: readonly string[], name: string): Entry {
  const merged: string[] = [];
  for (const dir of dirs) {
    const p = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    if (!st.isDirectory()) {
      // Below a directory, a non-directory is hidden; on top it is the answer.
      if (merged.length > 0 || isWhiteout(st)) break;
      return st.isSymbolicLink()
        ? { kind: 'link', target: fs.readlinkSync(p) }
        : { kind: 'file', hostPath: p };
    }
    merged.push(p);
    if (isOpaque(p)) break;
  }
  return merged.length > 0 ? { kind: 'dir', dirs: merged } : { kind: 'missing' };
}

function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

function isOpaque(dir: string): boolean {
  const value = Buffer.alloc(8);
  const n = Number(lgetxattrFn(dir, 'trusted.overlay.opaque', value, value.length));
  return n === 1 && value[0] === 0x79; // 'y'
}
