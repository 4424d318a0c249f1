/**
 * The daemon's side of starting a container (RUNTIME.md's start sequence): cgroup with limits,
 * FIFOs for stdout/stderr, an init that is PID 1 of a new pid namespace (spawned ahead by the
 * pool, or now). What comes back runs until it exits.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { mknod, S_IFIFO } from '../../platform/linux/fs-nodes';
import { cgroupDriver, type Cgroup } from './cgroups';
import { ConsoleSocket } from './console';
import { pidStartTime as readStartTime } from './exit-records';
import { spawnInit, type InitPool } from './init-pool';
import { goHelper, StartError } from './launch';
import { wireAttachments } from './network';
import type { ContainerSpec } from './spec';
import { writerOf } from './stdin';
import type { Terminal } from './terminal';

export { StartError } from './launch';

export interface ExitStatus {
  exitCode: number;
  /** Set when a signal ended PID 1 (exitCode is then 128 + its number). */
  signal?: string;
  oomKilled: boolean;
  finishedAt: Date;
}

export interface RunningContainer {
  /** PID 1's pid on the host, and its start time (what guards the pid against reuse). */
  readonly pid: number;
  readonly pidStartTime: number;
  readonly cgroup: Cgroup;
  readonly startedAt: Date;
  /**
   * The container's output; each ends once every process holding it is gone. With a terminal,
   * stdout is its master and stderr ends at once (a pty is one stream).
   */
  readonly stdout: net.Socket;
  readonly stderr: net.Socket;
  /** The pty of a container created with Tty: its input and its size. */
  readonly terminal?: Terminal;
  /** Its stdin with OpenStdin and no terminal: the only writer, so ending it is EOF inside. */
  readonly stdin?: net.Socket;
  /** Resolves once PID 1 exited and the cgroup is empty and removed. */
  readonly exited: Promise<ExitStatus>;
  /** Sends a signal to PID 1; false when it is gone. */
  signal(sig: NodeJS.Signals | number): boolean;
}

/** After PID 1's end: was it an OOM kill; then nothing of the container may stay. */
export async function finishContainer(
  cgroup: Cgroup,
  status: { exitCode: number; signal?: string },
): Promise<ExitStatus> {
  const oomKilled = cgroup.oomKilled();
  await cgroup.killAll(); // PID 1's end took the pid namespace with it; stragglers of other kinds go too
  await cgroup.destroy();
  return { ...status, oomKilled, finishedAt: new Date() };
}

export function signalPid(pid: number, sig: NodeJS.Signals | number): boolean {
  try {
    return process.kill(pid, sig);
  } catch {
    return false;
  }
}

function fifo(p: string): void {
  if (!fs.existsSync(p)) mknod(p, S_IFIFO | 0o600);
}

function writeEtcFiles(spec: ContainerSpec): void {
  fs.writeFileSync(path.join(spec.stateDir, 'hosts'), spec.etcFiles.hosts);
  fs.writeFileSync(path.join(spec.stateDir, 'resolv.conf'), spec.etcFiles.resolvConf);
  fs.writeFileSync(path.join(spec.stateDir, 'hostname'), spec.etcFiles.hostname);
}

/** A reader on a FIFO, opened while the child holds the writing end (else it reads EOF at once). */
export function openOutput(p: string): net.Socket {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: true, writable: false });
}

export async function startContainer(spec: ContainerSpec, pool?: InitPool): Promise<RunningContainer> {
  fs.mkdirSync(spec.stateDir, { recursive: true });
  writeEtcFiles(spec);
  const configPath = path.join(spec.stateDir, 'config.json');
  fifo(spec.stdio.stdoutPath);
  fifo(spec.stdio.stderrPath);
  if (spec.stdio.stdinPath) fifo(spec.stdio.stdinPath);

  const cgroup = cgroupDriver().create(spec.cgroup.parent, spec.cgroup.name, spec.cgroup.limits, {
    allowAllDevices: spec.privileged,
  });
  const writers: number[] = [];
  const readers: net.Socket[] = [];
  let consoleSocket: ConsoleSocket | undefined;
  let stdin: net.Socket | undefined;
  try {
    if (spec.process.terminal) consoleSocket = new ConsoleSocket();
    fs.writeFileSync(configPath, JSON.stringify({ ...spec, consoleSocket: consoleSocket?.name }), {
      mode: 0o600, // the process's environment
    });
    // Our writers keep the readers from seeing EOF until the init has opened the FIFOs itself.
    writers.push(fs.openSync(spec.stdio.stdoutPath, fs.constants.O_RDWR));
    writers.push(fs.openSync(spec.stdio.stderrPath, fs.constants.O_RDWR));
    readers.push(openOutput(spec.stdio.stdoutPath), openOutput(spec.stdio.stderrPath));
    // Read-write: the init's read-only open finds a writer and does not block.
    if (spec.stdio.stdinPath) stdin = writerOf(fs.openSync(spec.stdio.stdinPath, fs.constants.O_RDWR));
    const init = pool ? pool.take() : spawnInit();
    const attach = spec.network.mode === 'bridge' ? (spec.network.attach ?? []) : [];
    const wire = attach.length ? (pid: number) => wireAttachments(attach, pid) : undefined;
    const launched = goHelper(init, cgroup, configPath, wire);
    const { pid, exit } = await launched.finally(() => {
      // The init holds the writing ends from here on; ours must go, or the readers never end.
      for (const fd of writers.splice(0)) fs.closeSync(fd);
    });
    const terminal = consoleSocket?.take(pid);
    if (terminal) readers[0].destroy();
    consoleSocket?.close();
    const pidStartTime = readStartTime(pid) ?? 0;
    const exited = exit.then((status) => {
      stdin?.destroy();
      return finishContainer(cgroup, status);
    });
    return {
      pid,
      pidStartTime,
      cgroup,
      startedAt: new Date(),
      stdout: terminal?.stream ?? readers[0],
      stderr: readers[1],
      terminal,
      stdin,
      exited,
      signal: (sig) => signalPid(pid, sig),
    };
  } catch (err) {
    consoleSocket?.close();
    stdin?.destroy();
    for (const fd of writers) fs.closeSync(fd);
    for (const r of readers) r.destroy();
    await cgroup.killAll().catch(() => undefined);
    await cgroup.destroy().catch(() => undefined);
    if (err instanceof StartError) throw err;
    throw new StartError((err as Error).message, 125);
  }
}
