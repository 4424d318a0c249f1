/** Finds the mounted cgroup hierarchies in /proc/self/mountinfo. */
import fs from 'node:fs';
import type { CgroupMode } from './types';

export interface V1Hierarchy {
  mountpoint: string;
  /** Controllers (and 'name=systemd' for named hierarchies) of this mount. */
  controllers: string[];
}

export interface CgroupMounts {
  mode: CgroupMode;
  v1: V1Hierarchy[];
  unified?: string;
}

// mountinfo escapes spaces and such as \040.
const unescape = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): CgroupMounts {
  const v1: V1Hierarchy[] = [];
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const [fstype, , superOpts = ''] = line.slice(sep + 3).split(' ');
    const root = left[3];
    const mountpoint = unescape(left[4] ?? '');
    // A cgroup mounted from a sub-path (inside a cgroup namespace or bind) is not a hierarchy root.
    if (root !== '/') continue;
    if (fstype === 'cgroup2') unified ??= mountpoint;
    else if (fstype === 'cgroup') {
      const controllers = superOpts
        .split(',')
        .filter((o) => o !== 'rw' && o !== 'ro' && !o.startsWith('release_agent') && o !== 'clone_children')
        .filter((o) => !['xattr', 'noprefix', 'nsdelegate', 'cpuset_v2_mode', 'favordynmods'].includes(o));
      if (!v1.some((h) => h.controllers.join() === controllers.join())) v1.push({ mountpoint, controllers });
    }
  }
  const mode: CgroupMode = v1.length === 0 ? 'v2' : unified ? 'hybrid' : 'v1';
  return { mode, v1, unified };
}

export function detectCgroups(): CgroupMounts {
  return parseMountinfo(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
}
