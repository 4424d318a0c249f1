/**
 * The daemon's side of starting a container (RUNTIME.md's start sequence): cgroup with limits,
 * FIFOs for stdout/stderr, the init spawned as PID 1 of a new pid namespace, moved into the
 * cgroup, told to go, and its report read. What comes back runs until it exits.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mknod, S_IFIFO } from '../linux/fs-nodes';
import { withChildPidNamespace } from '../linux/namespaces';
import { pipe2 } from '../linux/process';
import { cgroupDriver, type Cgroup } from './cgroups';
import type { StartFailure } from './init/protocol';
import type { ContainerSpec } from './spec';

const INIT_SCRIPT = path.join(__dirname, 'init', 'main.js');

export interface ExitStatus {
  exitCode: number;
  /** Set when a signal ended PID 1 (exitCode is then 128 + its number). */
  signal?: string;
  oomKilled: boolean;
  finishedAt: Date;
}

export class StartError extends Error {
  constructor(
    message: string,
    /** Docker's: 127 command not found, 126 not executable, 125 anything else. */
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

export interface RunningContainer {
  /** PID 1's pid on the host. */
  readonly pid: number;
  readonly cgroup: Cgroup;
  readonly startedAt: Date;
  /** The container's output; each ends once every process holding it is gone. */
  readonly stdout: net.Socket;
  readonly stderr: net.Socket;
  /** Resolves once PID 1 exited and the cgroup is empty and removed. */
  readonly exited: Promise<ExitStatus>;
  /** Sends a signal to PID 1; false when it is gone. */
  signal(sig: NodeJS.Signals | number): boolean;
}

function fifo(p: string): void {
  if (!fs.existsSync(p)) mknod(p, S_IFIFO | 0o600);
}

function readAll(sock: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    sock.on('data', (d: Buffer) => parts.push(d));
    sock.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
    sock.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function exitStatusOf(
  code: number | null,
  signal: NodeJS.Signals | null,
): Pick<ExitStatus, 'exitCode' | 'signal'> {
  if (signal) return { exitCode: 128 + (os.constants.signals[signal] ?? 0), signal };
  return { exitCode: code ?? 255 };
}

function writeEtcFiles(spec: ContainerSpec): void {
  fs.writeFileSync(path.join(spec.stateDir, 'hosts'), spec.etcFiles.hosts);
  fs.writeFileSync(path.join(spec.stateDir, 'resolv.conf'), spec.etcFiles.resolvConf);
  fs.writeFileSync(path.join(spec.stateDir, 'hostname'), spec.etcFiles.hostname);
}

/** Readers on the FIFOs, opened while the child holds the writing ends (else they read EOF at once). */
function openOutput(p: string): net.Socket {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: true, writable: false });
}

export async function startContainer(spec: ContainerSpec): Promise<RunningContainer> {
  fs.mkdirSync(spec.stateDir, { recursive: true });
  writeEtcFiles(spec);
  const configPath = path.join(spec.stateDir, 'config.json');
  fs.writeFileSync(configPath, JSON.stringify(spec));
  fifo(spec.stdio.stdoutPath);
  fifo(spec.stdio.stderrPath);

  const cgroup = cgroupDriver().create(spec.cgroup.parent, spec.cgroup.name, spec.cgroup.limits, {
    allowAllDevices: spec.privileged,
  });
  const fds: number[] = [];
  const closeFds = (): void => {
    for (const fd of fds.splice(0)) fs.closeSync(fd);
  };
  let child: ChildProcess | undefined;
  try {
    const [ctlR, ctlW] = pipe2();
    const [stsR, stsW] = pipe2();
    // O_RDWR: the container side of a FIFO never sees SIGPIPE, even while the daemon is away.
    const outW = fs.openSync(spec.stdio.stdoutPath, fs.constants.O_RDWR);
    const errW = fs.openSync(spec.stdio.stderrPath, fs.constants.O_RDWR);
    fds.push(ctlR, stsW, outW, errW);
    const stdio: StdioOptions = ['ignore', outW, errW, ctlR, stsW];
    // fds 3 and 4 of the child are the start protocol's ctl and sts (init/protocol.ts).
    const c = withChildPidNamespace('new', () =>
      spawn(process.execPath, [INIT_SCRIPT, configPath], { stdio, detached: true, env: {} }),
    );
    child = c;
    const exitEvent = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      c.once('exit', (code, sig) => resolve([code, sig])),
    );
    const spawnError = new Promise<Error>((resolve) => c.once('error', resolve));
    const stdout = openOutput(spec.stdio.stdoutPath);
    const stderr = openOutput(spec.stdio.stderrPath);
    closeFds();
    const sts = new net.Socket({ fd: stsR, readable: true, writable: false });
    const report = readAll(sts);
    const pid = c.pid;
    if (pid === undefined) throw await spawnError;
    cgroup.addProcess(pid);
    fs.writeSync(ctlW, 'g');
    fs.closeSync(ctlW);

    const said = await report;
    if (said) {
      const failure = JSON.parse(said) as StartFailure;
      await exitEvent;
      stdout.destroy();
      stderr.destroy();
      await cgroup.killAll();
      await cgroup.destroy();
      throw new StartError(failure.message, failure.exitCode);
    }
    const exited = exitEvent.then(async ([code, sig]) => {
      const oomKilled = cgroup.oomKilled();
      await cgroup.killAll(); // PID 1's end took the pid namespace with it; this is belt and braces
      await cgroup.destroy();
      return { ...exitStatusOf(code, sig), oomKilled, finishedAt: new Date() };
    });
    return {
      pid,
      cgroup,
      startedAt: new Date(),
      stdout,
      stderr,
      exited,
      signal: (sig) => {
        try {
          return process.kill(pid, sig);
        } catch {
          return false;
        }
      },
    };
  } catch (err) {
    closeFds();
    if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
    await cgroup.killAll().catch(() => undefined);
    await cgroup.destroy().catch(() => undefined);
    if (err instanceof StartError) throw err;
    throw new StartError(`failed to start container: ${(err as Error).message}`, 125);
  }
}
