/**
 * The engine's outer process (`tscompose engine run`): a child subreaper that runs the daemon
 * as its child and outlives it. When the daemon dies, its container inits become our children;
 * we collect their exit statuses into exit records, so a restarted daemon still learns every
 * exit code, and we start the daemon again after a crash, with back-off, for as long as any
 * container lives. A daemon that stops cleanly (exit code 0) ends us too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { prctl, PR_SET_CHILD_SUBREAPER } from '../platform/linux/process';
import { reapNoHang } from '../platform/linux/wait';
import { writeLogLine } from './log-line';
import { enginePaths } from '../engine-api/paths';
import { cgroupParentFor } from './runtime/cgroups';
import { exitsDir, pidStartTime, writeExitRecord } from './runtime/exit-records';
import { writeJsonAtomic } from '../common/atomic';
import { daemonRestartDelay } from './reaper-backoff';

/**
 * Sweeps follow SIGCHLD; this slow one only covers a signal lost to a race. A fast poll here
 * was the reaper's whole workload (a /proc walk four times a second, for ever).
 */
const FALLBACK_SWEEP_MS = 5000;
const STARTUP_MS = 5000;

function children(): number[] {
  const pids: number[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const text = fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim();
      if (text) for (const p of text.split(/\s+/)) pids.push(Number(p));
    } catch {
      // the thread ended
    }
  }
  return pids;
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** In a cgroup of this engine's containers (a spare init the daemon left is not, and soon ends). */
function inContainer(pid: number, parent: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(`${parent}/`);
  } catch {
    return false;
  }
}

export interface ReaperOptions {
  env?: NodeJS.ProcessEnv;
  /** The daemon's command line (process.execPath and its arguments). */
  daemonArgs: string[];
  log?: (line: string) => void;
}

export async function runReaper(opts: ReaperOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const { root, runRoot } = enginePaths(env);
  const cgroupParent = cgroupParentFor(root);
  // writeLogLine never throws: on a full disk the reaper, of all processes, must not die.
  const log = opts.log ?? ((line: string) => writeLogLine(`reaper: ${line}`));
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  // Tests lengthen the first pause to see exits during the outage.
  const firstDelay = Number(env.TSCOMPOSE_DAEMON_RESTART_DELAY_MS) || 0;
  let daemon: ChildProcess | undefined;
  let delay = 0;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  /** Collects our zombies; true when a container's process is among our children. */
  const sweep = (): boolean => {
    let living = false;
    for (const pid of children()) {
      if (pid === daemon?.pid) continue;
      if (!isZombie(pid)) {
        living ||= inContainer(pid, cgroupParent);
        continue;
      }
      const startTime = pidStartTime(pid) ?? 0;
      const status = reapNoHang(pid);
      if (!status) continue;
      writeExitRecord(runRoot, { pid, startTime, ...status, time: new Date().toISOString() });
    }
    return living;
  };
  const onChild = (): void => void sweep();
  process.on('SIGCHLD', onChild);
  const timer = setInterval(onChild, FALLBACK_SWEEP_MS);
  // The CLI finds us here and waits for the daemon we bring back instead of starting another engine.
  const pidFile = path.join(runRoot, 'reaper.json');
  fs.mkdirSync(runRoot, { recursive: true });
  // With our start time: a pid recycled after a crash (another engine's, even) is not taken for us.
  writeJsonAtomic(pidFile, { pid: process.pid, startTime: pidStartTime(process.pid) });
  const finish = (code: number, clean: boolean): number => {
    clearInterval(timer);
    process.off('SIGCHLD', onChild);
    sweep();
    fs.rmSync(pidFile, { force: true });
    // A daemon that stopped cleanly took every record in its recovery and stopped its
    // containers: no record is anyone's any more. Otherwise they wait for the next daemon.
    if (clean) fs.rmSync(exitsDir(runRoot), { recursive: true, force: true });
    return code;
  };

  return new Promise<number>((resolve) => {
    const start = (): void => {
      const startedAt = Date.now();
      const child = spawn(opts.daemonArgs[0], opts.daemonArgs.slice(1), { stdio: 'inherit', env });
      daemon = child;
      child.once('exit', (code, signal) => {
        const containersLive = sweep();
        const clean = (signal === null && code === 0) || signal === 'SIGTERM' || signal === 'SIGINT';
        if (stopping || clean) {
          resolve(finish(code ?? 0, code === 0));
          return;
        }
        // With no container to look after, a daemon that fails as it starts (its lock is taken,
        // its configuration is wrong) would only fail again: we end with its code, and any exit
        // record stays on disk for the next daemon. While a container lives we never give up:
        // its exit must reach a daemon, and ending would orphan it.
        const failedToStart = signal === null && Date.now() - startedAt < STARTUP_MS;
        if (failedToStart && !containersLive) {
          resolve(finish(code ?? 1, false));
          return;
        }
        delay = daemonRestartDelay(delay, Date.now() - startedAt);
        const wait = Math.max(delay, firstDelay);
        log(`daemon ${child.pid} died (${signal ?? `exit ${code}`}); starting it again in ${wait} ms`);
        restartTimer = setTimeout(start, wait);
      });
    };
    // `engine stop` signals us: the daemon stops its containers and ends, and so do we.
    const forward = (sig: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      clearTimeout(restartTimer);
      if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill(sig);
      else resolve(finish(0, false));
    };
    process.on('SIGTERM', () => forward('SIGTERM'));
    process.on('SIGINT', () => forward('SIGINT'));
    start();
  });
}
