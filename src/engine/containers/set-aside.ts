/**
 * A container record that cannot be read must not stop the engine: it is moved aside
 * (`<id>.json.corrupt`, its folder `<id>.corrupt`) with one line in the daemon log, and what the
 * container may still hold on the host is found from its id alone and released: processes and
 * cgroup (`<cgroup parent>/<id>`), and any mount below its folder (the overlay rootfs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MNT_DETACH, umount2 } from '../../platform/linux/mount';
import { cgroupDriver } from '../runtime/cgroups';
import { pidStartTime, removeExitRecord } from '../runtime/exit-records';
import type { UnreadableRecord } from '../state/records';

/** The names the engine gives its containers and cgroups: nothing else is looked for. */
const CONTAINER_ID = /^[0-9a-f]{64}$/;
const REAPED_WITHIN_MS = 2000;

export interface SetAsideOptions {
  dir: string;
  cgroupParent: string;
  runRoot: string;
  log: (line: string) => void;
}

export async function setAsideCorrupt(
  store: { setAside(bad: UnreadableRecord): string },
  bad: UnreadableRecord,
  o: SetAsideOptions,
): Promise<void> {
  const notes: string[] = [];
  let moved = bad.file;
  try {
    moved = store.setAside(bad);
  } catch (err) {
    notes.push(`could not move it aside: ${(err as Error).message}`);
  }
  if (CONTAINER_ID.test(bad.id)) {
    try {
      await releaseCgroup(o.cgroupParent, bad.id, o.runRoot);
    } catch (err) {
      notes.push(`its cgroup: ${(err as Error).message}`);
    }
    const stateDir = path.join(o.dir, bad.id);
    const unmounted = unmountBelow(stateDir, notes);
    if (unmounted) notes.push(`${unmounted} mount(s) released`);
    try {
      if (fs.existsSync(stateDir)) fs.renameSync(stateDir, `${stateDir}.corrupt`);
    } catch (err) {
      notes.push(`its folder: ${(err as Error).message}`);
    }
  }
  o.log(
    `container record ${bad.file} cannot be read (${bad.reason}); set aside as ${moved}` +
      (notes.length ? ` (${notes.join('; ')})` : ''),
  );
}

/** Its processes die with it; their exit records (the reaper's children) are no one's. */
async function releaseCgroup(parent: string, id: string, runRoot: string): Promise<void> {
  const cgroup = cgroupDriver().open(parent, id);
  let pids: { pid: number; startTime: number | undefined }[] = [];
  try {
    pids = cgroup.pids().map((pid) => ({ pid, startTime: pidStartTime(pid) }));
  } catch {
    // no such cgroup
  }
  await cgroup.killAll();
  await cgroup.destroy();
  const deadline = Date.now() + REAPED_WITHIN_MS;
  for (const { pid, startTime } of pids) {
    if (startTime === undefined) continue;
    while (pidStartTime(pid) === startTime && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    // The reaper writes the record as it reaps; a moment later for its sweep to finish.
    await new Promise((r) => setTimeout(r, 50));
    removeExitRecord(runRoot, pid, startTime);
  }
}

/** Mount points at or below `dir` in our mount namespace, deepest first; how many went. */
function unmountBelow(dir: string, notes: string[]): number {
  const unescape = (s: string): string =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const points = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => unescape(line.split(' ')[4] ?? ''))
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  let n = 0;
  for (const p of points) {
    try {
      umount2(p, MNT_DETACH);
      n++;
    } catch (err) {
      notes.push(`unmount ${p}: ${(err as Error).message}`);
    }
  }
  return n;
}
