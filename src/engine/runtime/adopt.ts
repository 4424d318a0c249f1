/**
 * Taking over a container a previous daemon started (it crashed, or was restarted): the init is
 * now the reaper's child, so its end is learnt from the reaper's exit record; its output is read
 * again from the FIFOs it still holds, from where the old daemon stopped reading. The exit record
 * stays until the container manager has written the exit into the container's record.
 */
import fs from 'node:fs';
import { cgroupDriver } from './cgroups';
import { exitsDir, pidStartTime, readExitRecord } from './exit-records';
import type { ContainerSpec } from './spec';
import { finishContainer, openOutput, signalPid, type RunningContainer } from './start';

const POLL_MS = 200;
const LOST_AFTER_MS = 2000;

/** undefined when that process is no longer there to adopt. */
export function adoptContainer(
  spec: ContainerSpec,
  pid: number,
  startTime: number,
  startedAt: Date,
  runRoot: string,
): RunningContainer | undefined {
  if (pidStartTime(pid) !== startTime) return undefined;
  const cgroup = cgroupDriver().open(spec.cgroup.parent, spec.cgroup.name);
  const stdout = openOutput(spec.stdio.stdoutPath);
  const stderr = openOutput(spec.stdio.stderrPath);
  const exited = new Promise<{ exitCode: number; signal?: string }>((resolve) => {
    fs.mkdirSync(exitsDir(runRoot), { recursive: true });
    let watcher: fs.FSWatcher | undefined;
    let goneSince = 0;
    const check = (): void => {
      const rec = readExitRecord(runRoot, pid, startTime);
      // The reaper writes its record just after reaping; a process gone for longer than a few
      // of its sweeps without one means the reaper is gone too, and the code is lost.
      const gone = !rec && pidStartTime(pid) !== startTime;
      goneSince = gone ? goneSince || Date.now() : 0;
      const lost = gone && Date.now() - goneSince > LOST_AFTER_MS;
      if (!rec && !lost) return;
      clearInterval(timer);
      watcher?.close();
      resolve(rec ? { exitCode: rec.exitCode } : { exitCode: 255 });
    };
    const timer = setInterval(check, POLL_MS);
    try {
      watcher = fs.watch(exitsDir(runRoot), check);
    } catch {
      // polling alone then
    }
    check();
  }).then((status) => finishContainer(cgroup, status));
  return {
    pid,
    pidStartTime: startTime,
    cgroup,
    startedAt,
    stdout,
    stderr,
    exited,
    signal: (sig) => signalPid(pid, sig),
  };
}

/** The exit status a reaper recorded for a container that ended while no daemon watched it. */
export function recordedExit(runRoot: string, pid: number, startTime: number): number | undefined {
  return readExitRecord(runRoot, pid, startTime)?.exitCode;
}
