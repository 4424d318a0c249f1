/**
 * A volume's directory: `<dir>/<name>/` (0700) holding its record and `_data`, made and removed
 * so that a crash leaves either a whole volume or something the next start reclaims. A removal
 * first renames the directory out of the names' way (`.removing-*`), and never goes through a
 * mount: a bound host directory left mounted would be emptied with it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../common/atomic';
import { TscomposeError } from '../../common/errors';
import { PRIVATE_DIR } from '../state/private';
import { mountsBelow, unmountVolume } from './local-driver';
import { DATA_DIR, RECORD_FILE, type VolumeRecord } from './record';

export const REMOVING_PREFIX = '.removing-';
/** A copy-up's view of an image (copy-up.ts): a mount point, empty once unmounted. */
export const COPYUP_PREFIX = '.copyup-';

export function dataDir(dir: string, name: string): string {
  return path.join(dir, name, DATA_DIR);
}

/** The volume's directory, its empty `_data` and its record; nothing of it stays when one fails. */
export function makeVolumeDir(dir: string, r: VolumeRecord): void {
  const own = path.join(dir, r.name);
  fs.mkdirSync(own, { mode: PRIVATE_DIR });
  try {
    fs.mkdirSync(path.join(own, DATA_DIR), { mode: 0o755 });
    fs.chmodSync(path.join(own, DATA_DIR), 0o755); // not narrowed by the umask
    writeJsonAtomic(path.join(own, RECORD_FILE), r);
  } catch (err) {
    fs.rmSync(own, { recursive: true, force: true });
    throw err;
  }
}

export function writeVolumeRecord(dir: string, r: VolumeRecord): void {
  writeJsonAtomic(path.join(dir, r.name, RECORD_FILE), r);
}

/** Unmounted, renamed aside, then deleted; refused while anything stays mounted in it. */
export function removeVolumeDir(dir: string, name: string): void {
  const own = path.join(dir, name);
  if (!unmountVolume(path.join(own, DATA_DIR))) {
    throw new TscomposeError(`remove ${name}: its mount could not be released (still busy)`);
  }
  const aside = path.join(dir, `${REMOVING_PREFIX}${crypto.randomBytes(6).toString('hex')}`);
  fs.renameSync(own, aside);
  fs.rmSync(aside, { recursive: true, force: true });
}

/** What a crash left: removals half done and copy-up views (once nothing is mounted in them). */
export function reclaimRemovals(dir: string, log: (line: string) => void): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(REMOVING_PREFIX) && !name.startsWith(COPYUP_PREFIX)) continue;
    const p = path.join(dir, name);
    if (!unmountVolume(p) || mountsBelow(p).length) {
      log(`volume removal ${p} left by a crash: still mounted, kept`);
      continue;
    }
    fs.rmSync(p, { recursive: true, force: true });
  }
}

/** Bytes of the regular files under `root`, on its own file system only, symlinks not followed. */
export function usedBytes(root: string): number {
  let total = 0;
  let dev: number | undefined;
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    dev ??= st.dev;
    if (st.dev !== dev) return;
    if (st.isFile()) total += st.size;
    else if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) walk(path.join(p, n));
    }
  };
  walk(root);
  return total;
}

export function isEmptyDir(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return false;
  }
}
