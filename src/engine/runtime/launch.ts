/**
 * Spawning a container-side helper (the init, or the exec helper) under the start protocol
 * (init/protocol.ts): children created in the right pid namespace, moved into the container's
 * cgroup before they go on, and their report read. Shared by start and exec.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { withChildPidNamespace } from '../linux/namespaces';
import { pipe2 } from '../linux/process';
import type { Cgroup } from './cgroups';
import type { StartFailure } from './init/protocol';

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

export interface Launched {
  child: ChildProcess;
  pid: number;
  /** PID's end: the exit code (128 + n for a signal) and the signal's name. */
  exit: Promise<{ exitCode: number; signal?: string }>;
}

function readAll(sock: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    sock.on('data', (d: Buffer) => parts.push(d));
    sock.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
    sock.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function exitOf(code: number | null, signal: NodeJS.Signals | null): { exitCode: number; signal?: string } {
  if (signal) return { exitCode: 128 + (os.constants.signals[signal] ?? 0), signal };
  return { exitCode: code ?? 255 };
}

/**
 * Spawns `node script configPath` with stdout/stderr on `outFd`/`errFd` (the caller closes its
 * copies afterwards), waits for the report, and throws StartError (after the child is gone) when
 * the helper failed before its execve.
 */
export async function launch(opts: {
  script: string;
  configPath: string;
  outFd: number;
  errFd: number;
  pidNamespace: 'new' | number;
  cgroup: Cgroup;
}): Promise<Launched> {
  const [ctlR, ctlW] = pipe2();
  const [stsR, stsW] = pipe2();
  let child: ChildProcess | undefined;
  try {
    // The child's fds 3 and 4 are the protocol's ctl and sts.
    const stdio: StdioOptions = ['ignore', opts.outFd, opts.errFd, ctlR, stsW];
    const c = withChildPidNamespace(opts.pidNamespace, () =>
      spawn(process.execPath, [opts.script, opts.configPath], { stdio, detached: true, env: {} }),
    );
    child = c;
    const exit = new Promise<{ exitCode: number; signal?: string }>((resolve) =>
      c.once('exit', (code, sig) => resolve(exitOf(code, sig))),
    );
    const spawnError = new Promise<Error>((resolve) => c.once('error', resolve));
    fs.closeSync(ctlR);
    fs.closeSync(stsW);
    const report = readAll(new net.Socket({ fd: stsR, readable: true, writable: false }));
    if (c.pid === undefined) throw await spawnError;
    opts.cgroup.addProcess(c.pid);
    fs.writeSync(ctlW, 'g');
    const said = await report;
    if (said) {
      const failure = JSON.parse(said) as StartFailure;
      await exit;
      throw new StartError(failure.message, failure.exitCode);
    }
    return { child: c, pid: c.pid, exit };
  } catch (err) {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null)
      child.kill('SIGKILL');
    if (err instanceof StartError) throw err;
    throw new StartError((err as Error).message, 125);
  } finally {
    fs.closeSync(ctlW);
  }
}
