/**
 * `docker diff`: the container's overlay upper directory walked against its image layers, as
 * moby's overlay driver does it: a name only in the upper directory was added (1), one the layers
 * have too was modified (0), a whiteout (a 0:0 character device) and an opaque directory
 * (`trusted.overlay.opaque=y`) are deletions (2); the directory of an addition or a deletion is
 * itself modified. What the engine mounts (hosts, resolv.conf, hostname, /proc, /sys, /dev,
 * volumes and binds) is left out, as docker's init layer hides it. Everything is read through
 * descriptors, never following a name: the upper directory is written by the container.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lstatAt } from '../../platform/linux/beneath';
import {
  AT_FDCWD,
  O_CLOEXEC,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  RESOLVE_BENEATH,
  RESOLVE_NO_MAGICLINKS,
  RESOLVE_NO_SYMLINKS,
  closeFd,
  fdPath,
  openat,
  openat2,
} from '../../platform/linux/openat2';
import type { ContainerChange } from '../../engine-api/container/archive-api';
import { engineMounts } from './fs-view';
import type { ContainerRecord } from './record';
import { isOpaque } from './tree-tar';

const DIR = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

export function upperDir(record: ContainerRecord): string {
  return path.join(record.spec.stateDir, 'upper');
}

/** Whether a container path is one of the engine's mounts or below one. */
export function underMount(mounts: Set<string>, p: string): boolean {
  for (let q = p; q !== '/'; q = path.posix.dirname(q)) if (mounts.has(q)) return true;
  return false;
}

const isWhiteout = (st: fs.Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

/** The lstat of a container path in the image's layers (top-most first), undefined when the image does not have it. */
function inLayers(layerFds: number[], rel: string): fs.Stats | undefined {
  for (const layer of layerFds) {
    let fd: number;
    try {
      fd = openat2(
        layer,
        rel,
        O_PATH | O_NOFOLLOW | O_CLOEXEC,
        RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
      );
    } catch {
      continue;
    }
    try {
      const st = fs.fstatSync(fd);
      return isWhiteout(st) ? undefined : st;
    } finally {
      closeFd(fd);
    }
  }
  return undefined;
}

export function containerChanges(record: ContainerRecord): ContainerChange[] {
  const mounts = engineMounts(record);
  const layerFds: number[] = [];
  const changes: ContainerChange[] = [];
  const changedDirs = new Set<string>();
  let upper: number;
  try {
    upper = openat(AT_FDCWD, upperDir(record), DIR);
  } catch {
    return changes; // never started: nothing changed
  }
  try {
    for (const dir of record.spec.rootfs.lowerDirs) layerFds.push(openat(AT_FDCWD, dir, DIR));
    const walk = (dirFd: number, dirPath: string): void => {
      let names: string[];
      try {
        names = fs.readdirSync(fdPath(dirFd)).sort();
      } catch {
        return;
      }
      for (const name of names) {
        const p = dirPath === '/' ? `/${name}` : `${dirPath}/${name}`;
        if (underMount(mounts, p)) continue;
        const st = lstatAt(dirFd, name);
        if (!st) continue;
        let kind: 0 | 1 | 2 | undefined;
        if (isWhiteout(st) || (st.isDirectory() && isOpaque(dirFd, name))) kind = 2;
        else {
          const below = inLayers(layerFds, p.slice(1));
          if (!below) kind = 1;
          // A directory copied up only because something below it changed is not itself a change.
          else if (!(st.isDirectory() && below.isDirectory() && sameMeta(st, below))) kind = 0;
        }
        if (kind !== undefined) {
          if (st.isDirectory()) changedDirs.add(p);
          const parent = path.posix.dirname(p);
          if (kind !== 0 && parent !== '/' && !changedDirs.has(parent)) {
            changes.push({ Path: parent, Kind: 0 });
            changedDirs.add(parent);
          }
          changes.push({ Path: p, Kind: kind });
        }
        if (st.isDirectory()) {
          const fd = openat(dirFd, name, DIR);
          try {
            walk(fd, p);
          } finally {
            closeFd(fd);
          }
        }
      }
    };
    walk(upper, '/');
  } finally {
    closeFd(upper);
    for (const fd of layerFds) closeFd(fd);
  }
  return changes;
}

function sameMeta(a: fs.Stats, b: fs.Stats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}
