/**
 * What survives a daemon crash about a container's PID 1: its start time (so a recycled pid is
 * never mistaken for it) and, once the reaper has collected it, its exit status, one small JSON
 * file per pid under `<runRoot>/exits/`. A record is kept until a daemon has taken it: the daemon
 * removes it only once the container's own record holds the exit, so a daemon that dies between
 * the two leaves it for the next one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../common/atomic';

export interface ExitRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot. */
  startTime: number;
  exitCode: number;
  signal?: number;
  time: string;
}

export function exitsDir(runRoot: string): string {
  return path.join(runRoot, 'exits');
}

/** undefined when the process is gone (a zombie still answers). */
export function pidStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

export function writeExitRecord(runRoot: string, rec: ExitRecord): void {
  fs.mkdirSync(exitsDir(runRoot), { recursive: true });
  writeJsonAtomic(path.join(exitsDir(runRoot), `${rec.pid}.json`), rec);
}

/** The record of this very process (same pid and start time), if the reaper wrote one. */
export function readExitRecord(runRoot: string, pid: number, startTime: number): ExitRecord | undefined {
  try {
    const rec = JSON.parse(
      fs.readFileSync(path.join(exitsDir(runRoot), `${pid}.json`), 'utf8'),
    ) as ExitRecord;
    return rec.startTime === startTime ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** The daemon's acknowledgement, once the exit is durable in the container's record. */
export function removeExitRecord(runRoot: string, pid: number, startTime: number): void {
  if (readExitRecord(runRoot, pid, startTime))
    fs.rmSync(path.join(exitsDir(runRoot), `${pid}.json`), { force: true });
}

/** Records no container claimed (helpers and pooled inits the reaper collected too). */
export function removeExitRecordsExcept(runRoot: string, keep: ReadonlySet<number>): void {
  let names: string[];
  try {
    names = fs.readdirSync(exitsDir(runRoot));
  } catch {
    return;
  }
  for (const n of names)
    if (!keep.has(Number(n.replace(/\.json$/, ''))))
      fs.rmSync(path.join(exitsDir(runRoot), n), { force: true });
}
