/**
 * The node binary the daemon runs its container-side helpers (inits, exec helpers, and so
 * healthcheck probes) from: a read-only bind of its own executable in the run root. Until its
 * execve a helper *is* that binary, and a program run with `#!/proc/self/exe` as its interpreter
 * (or one that opens `/proc/<helper>/exe`) gets it as its executable; the magic link keeps the
 * mount it came through, so a write open through it, or through a descriptor kept until the
 * engine is down, fails with EROFS for ever (runc CVE-2019-5736; runc >= 1.2 does the same with
 * its binary). A read-only bind costs nothing at start, unlike a sealed memfd copy of ~100 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  MNT_DETACH,
  MS_BIND,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REMOUNT,
  MS_UNBINDABLE,
  mount,
  umount2,
  UMOUNT_NOFOLLOW,
} from '../../platform/linux/mount';

/** A crashed daemon's mount may be stacked a few times at most; more means something else mounts there. */
const MAX_STALE_MOUNTS = 16;

let sealedPath: string | undefined;

/** What helpers are spawned from: the sealed binary once the daemon has made it, else our own. */
export function helperExecutable(): string {
  return sealedPath ?? process.execPath;
}

export function sealedExePath(runRoot: string): string {
  return path.join(runRoot, 'node');
}

function unescapeMountPoint(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function isMountPoint(p: string): boolean {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line && unescapeMountPoint(line.split(' ')[4] ?? '') === p);
}

/** Detaches whatever is mounted at `p` (a crashed daemon's bind); bounded. */
function clearMounts(p: string): void {
  for (let i = 0; isMountPoint(p); i++) {
    if (i === MAX_STALE_MOUNTS) throw new Error(`${p} stays mounted after ${i} unmounts`);
    umount2(p, MNT_DETACH | UMOUNT_NOFOLLOW);
  }
}

/**
 * Binds our own executable read-only at `<runRoot>/node` (a crashed daemon's is replaced) and
 * makes it what helpers are spawned from; the returned function undoes it at a clean stop.
 */
export function sealHelperExecutable(runRoot: string): () => void {
  const target = sealedExePath(runRoot);
  clearMounts(target);
  fs.rmSync(target, { force: true });
  fs.writeFileSync(target, '', { mode: 0o500, flag: 'wx' });
  try {
    mount(process.execPath, target, null, MS_BIND);
    // A bind takes read-only only on a remount; private and unbindable so that no propagation
    // and no recursive bind of the run root (a `-v /run:/run`) carries it anywhere else.
    mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY);
    mount(null, target, null, MS_PRIVATE);
    mount(null, target, null, MS_UNBINDABLE);
  } catch (err) {
    clearMounts(target);
    fs.rmSync(target, { force: true });
    throw err;
  }
  sealedPath = target;
  return () => {
    if (sealedPath === target) sealedPath = undefined;
    clearMounts(target);
    fs.rmSync(target, { force: true });
  };
}
