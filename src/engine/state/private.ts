/**
 * The state root kept private (SECURITY.md rule 4): the root and the directories of its skeleton
 * `0700`, records, configs, blobs and logs `0600`. A store made by an older build (whose root was
 * `0711` and whose files were `0644`) is brought there at start. The walk is bounded: the
 * skeleton, one entry per blob, layer, container and volume — never a layer's or a container's
 * content, which keeps the image's own modes (a setuid file inside a layer is harmless once no
 * other user can reach the `0700` directory above it: moby CVE-2021-41091).
 *
 * No directory needs `0710` for a traversal: everything under the root is reached by root only —
 * overlays are mounted and bind mounts made by the (root) runtime before a container drops its
 * privileges, after which the container sees those trees from their mount points, never through
 * the host path; the kernel checks overlay layers with the mounter's credentials.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

interface Roots {
  root: string;
  images: string;
  containers: string;
  volumes: string;
  networks: string;
}

export function makePrivate(paths: Roots): void {
  for (const dir of [paths.root, paths.images, paths.containers, paths.volumes, paths.networks])
    setMode(dir, PRIVATE_DIR);
  // The image store: its index files and skeleton, one level into blobs, ingest, locks, sources.
  for (const name of entries(paths.images)) fix(path.join(paths.images, name));
  for (const sub of ['ingest', 'locks', 'distribution', 'l', path.join('blobs', 'sha256')]) {
    const dir = path.join(paths.images, sub);
    if (fix(dir)) for (const name of entries(dir)) fix(path.join(dir, name));
  }
  const layers = path.join(paths.images, 'layers');
  for (const name of entries(layers)) {
    const dir = path.join(layers, name);
    if (!fix(dir)) continue;
    for (const inner of entries(dir)) if (inner !== 'diff') fix(path.join(dir, inner));
  }
  // Containers: their records, their directories, and the files there that hold their
  // configuration or output. Their etc files stay readable: they are bind-mounted for the
  // container's own (possibly non-root) users.
  for (const name of entries(paths.containers)) {
    const p = path.join(paths.containers, name);
    if (!fix(p)) continue;
    for (const inner of entries(p))
      if (/^(config|exec-.*)\.json$|-json\.log/.test(inner)) fix(path.join(p, inner));
  }
  for (const name of entries(paths.volumes)) {
    const p = path.join(paths.volumes, name);
    if (lstat(p)?.isDirectory()) setMode(p, PRIVATE_DIR);
  }
}

/** Directories 0700, regular files 0600, anything else left; true for a directory. */
function fix(p: string): boolean {
  const st = lstat(p);
  if (st?.isDirectory()) {
    setMode(p, PRIVATE_DIR, st);
    return true;
  }
  if (st?.isFile()) setMode(p, PRIVATE_FILE, st);
  return false;
}

function setMode(p: string, mode: number, st = lstat(p)): void {
  if (!st || st.isSymbolicLink() || (st.mode & 0o7777) === mode) return;
  try {
    fs.chmodSync(p, mode);
  } catch (err) {
    console.error(`tscompose: could not make ${p} private: ${(err as Error).message}`);
  }
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
