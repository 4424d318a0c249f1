/**
 * `exec` into a running container (RUNTIME.md): the helper is spawned into the container's pid
 * namespace and cgroup, joins the rest itself, and becomes the command. Its output comes back
 * on plain pipes, or on a pty it made in the container's devpts (Tty).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pipe2 } from '../../platform/linux/process';
import type { Cgroup } from './cgroups';
import { ConsoleSocket } from './console';
import type { ExecSpec } from './exec/spec';
import { launch, StartError } from './launch';
import { writerOf } from './stdin';
import type { Terminal } from './terminal';

const EXEC_SCRIPT = path.join(__dirname, 'exec', 'main.js');

export interface RunningExec {
  pid: number;
  /** With a terminal, stdout is its master and stderr ends at once (a pty is one stream). */
  stdout: net.Socket;
  stderr: net.Socket;
  terminal?: Terminal;
  /** The command's stdin when asked for (`-i` without a terminal); ending it is EOF there. */
  stdin?: net.Socket;
  exited: Promise<{ exitCode: number; signal?: string }>;
}

export async function execInContainer(
  spec: ExecSpec,
  cgroup: Cgroup,
  stateDir: string,
  opts: { stdin?: boolean } = {},
): Promise<RunningExec> {
  const configPath = path.join(stateDir, `exec-${crypto.randomBytes(8).toString('hex')}.json`);
  const consoleSocket = spec.tty ? new ConsoleSocket() : undefined;
  try {
    fs.writeFileSync(configPath, JSON.stringify({ ...spec, consoleSocket: consoleSocket?.name }), {
      mode: 0o600, // the process's environment
    });
  } catch (err) {
    consoleSocket?.close();
    throw err;
  }
  const [outR, outW] = pipe2();
  const [errR, errW] = pipe2();
  const readers = [outR, errR].map((fd) => new net.Socket({ fd, readable: true, writable: false }));
  const [inR, inW] = opts.stdin ? pipe2() : [];
  const stdin = inW === undefined ? undefined : writerOf(inW);
  try {
    const launched = launch({
      script: EXEC_SCRIPT,
      configPath,
      inFd: inR,
      outFd: outW,
      errFd: errW,
      pidNamespace: spec.initPid,
      cgroup,
    });
    fs.closeSync(outW);
    fs.closeSync(errW);
    if (inR !== undefined) fs.closeSync(inR);
    const { pid, exit } = await launched;
    let terminal: Terminal | undefined;
    try {
      terminal = consoleSocket?.take(pid);
    } catch (err) {
      process.kill(pid, 'SIGKILL');
      throw new StartError((err as Error).message, 126);
    }
    if (terminal) readers[0].destroy();
    const stdout = terminal?.stream ?? readers[0];
    return { pid, stdout, stderr: readers[1], terminal, stdin, exited: exit };
  } catch (err) {
    for (const r of readers) r.destroy();
    stdin?.destroy();
    throw err;
  } finally {
    consoleSocket?.close();
    fs.rmSync(configPath, { force: true });
  }
}
