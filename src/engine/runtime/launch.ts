/**
 * Spawning a container-side helper (the init, or the exec helper) under the start protocol
 * (init/protocol.ts): children created in the right pid namespace, moved into the container's
 * cgroup before they go on, and their report read. Shared by start and exec.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { withChildPidNamespace } from '../../platform/linux/namespaces';
import { pipe2 } from '../../platform/linux/process';
import type { Cgroup } from './cgroups';
import { NETNS_GO, NETNS_READY, type StartFailure } from './init/protocol';
import { helperExecutable } from './sealed-exe';

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

/**
 * Everything the helper says on sts until it closes; an init's NETNS_READY, first, goes to
 * `onNetns` instead (which answers on ctl).
 */
function readAll(sock: net.Socket, onNetns?: () => void): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let first = onNetns !== undefined;
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      if (!first) return;
      const text = Buffer.concat(parts).toString('utf8');
      if (text.length < NETNS_READY.length && NETNS_READY.startsWith(text)) return;
      first = false;
      if (!text.startsWith(NETNS_READY)) return;
      parts.splice(0, parts.length, Buffer.from(text.slice(NETNS_READY.length)));
      onNetns?.();
    });
    sock.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
    sock.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function exitOf(code: number | null, signal: NodeJS.Signals | null): { exitCode: number; signal?: string } {
  if (signal) return { exitCode: 128 + (os.constants.signals[signal] ?? 0), signal };
  return { exitCode: code ?? 255 };
}

/** A helper spawned and waiting on ctl for the path of its config. */
export interface Spawned {
  child: ChildProcess;
  exit: Promise<{ exitCode: number; signal?: string }>;
  spawnError: Promise<Error>;
  ctlW: number;
  stsR: number;
}

/**
 * The synchronous part: `node script` with stdout/stderr on `outFd`/`errFd` (the caller closes
 * its copies afterwards) in the given pid namespace. Its fds 3 and 4 are the protocol's ctl
 * and sts.
 */
export function spawnHelper(
  script: string,
  outFd: number | 'ignore',
  errFd: number | 'ignore',
  pidNamespace: 'new' | number,
  inFd: number | 'ignore' = 'ignore',
): Spawned {
  const [ctlR, ctlW] = pipe2();
  const [stsR, stsW] = pipe2();
  try {
    const stdio: StdioOptions = [inFd, outFd, errFd, ctlR, stsW];
    const c = withChildPidNamespace(pidNamespace, () =>
      spawn(helperExecutable(), [script], { stdio, detached: true, env: {} }),
    );
    const exit = new Promise<{ exitCode: number; signal?: string }>((resolve) =>
      c.once('exit', (code, sig) => resolve(exitOf(code, sig))),
    );
    const spawnError = new Promise<Error>((resolve) => c.once('error', resolve));
    return { child: c, exit, spawnError, ctlW, stsR };
  } catch (err) {
    fs.closeSync(ctlW);
    fs.closeSync(stsR);
    throw err;
  } finally {
    fs.closeSync(ctlR);
    fs.closeSync(stsW);
  }
}

/** Kills a spawned helper nobody will use (a pooled init at shutdown). */
export function discard(h: Spawned): void {
  if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
  for (const fd of [h.ctlW, h.stsR]) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/**
 * Moves a spawned helper into the container's cgroup, hands it its config, and waits for its
 * report; throws StartError (after the helper is gone) when it failed before its execve.
 */
export async function goHelper(
  h: Spawned,
  cgroup: Cgroup,
  configPath: string,
  /** Puts the network in once the init has its namespace (RUNTIME.md, start step 5). */
  wireNetwork?: (pid: number) => void,
): Promise<Launched> {
  const c = h.child;
  let netFailure: Error | undefined;
  const onNetns = wireNetwork
    ? () => {
        try {
          wireNetwork(c.pid!);
          fs.writeSync(h.ctlW, `${NETNS_GO}\n`);
        } catch (err) {
          // The init gives up on any other answer; its exit ends the report.
          netFailure = err as Error;
          fs.writeSync(h.ctlW, 'stop\n');
        }
      }
    : undefined;
  try {
    const report = readAll(new net.Socket({ fd: h.stsR, readable: true, writable: false }), onNetns);
    if (c.pid === undefined) throw await h.spawnError;
    cgroup.addProcess(c.pid);
    fs.writeSync(h.ctlW, `${configPath}\n`);
    const said = await report;
    if (netFailure) {
      await h.exit;
      throw new StartError(`failed to set up the container's network: ${netFailure.message}`, 125);
    }
    if (said) {
      const failure = JSON.parse(said) as StartFailure;
      await h.exit;
      throw new StartError(failure.message, failure.exitCode);
    }
    return { child: c, pid: c.pid, exit: h.exit };
  } catch (err) {
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (err instanceof StartError) throw err;
    throw new StartError((err as Error).message, 125);
  } finally {
    fs.closeSync(h.ctlW);
  }
}

/** spawnHelper + goHelper, for helpers that cannot be spawned ahead (exec joins a running container). */
export async function launch(opts: {
  script: string;
  configPath: string;
  /** The helper's stdin (an exec's `-i`); /dev/null otherwise. */
  inFd?: number;
  outFd: number;
  errFd: number;
  pidNamespace: 'new' | number;
  cgroup: Cgroup;
}): Promise<Launched> {
  let h: Spawned;
  try {
    h = spawnHelper(opts.script, opts.outFd, opts.errFd, opts.pidNamespace, opts.inFd);
  } catch (err) {
    throw new StartError((err as Error).message, 125);
  }
  return goHelper(h, opts.cgroup, opts.configPath);
}
