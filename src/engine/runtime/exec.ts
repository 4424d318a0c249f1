/**
 * `exec` into a running container (RUNTIME.md): the helper is spawned into the container's pid
 * namespace and cgroup, joins the rest itself, and becomes the command. Its output comes back
 * on plain pipes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pipe2 } from '../linux/process';
import type { Cgroup } from './cgroups';
import type { ExecSpec } from './exec/spec';
import { launch } from './launch';

const EXEC_SCRIPT = path.join(__dirname, 'exec', 'main.js');

export interface RunningExec {
  pid: number;
  stdout: net.Socket;
  stderr: net.Socket;
  exited: Promise<{ exitCode: number; signal?: string }>;
}

export async function execInContainer(
  spec: ExecSpec,
  cgroup: Cgroup,
  stateDir: string,
): Promise<RunningExec> {
  const configPath = path.join(stateDir, `exec-${crypto.randomBytes(8).toString('hex')}.json`);
  fs.writeFileSync(configPath, JSON.stringify(spec));
  const [outR, outW] = pipe2();
  const [errR, errW] = pipe2();
  const readers = [outR, errR].map((fd) => new net.Socket({ fd, readable: true, writable: false }));
  try {
    const launched = launch({
      script: EXEC_SCRIPT,
      configPath,
      outFd: outW,
      errFd: errW,
      pidNamespace: spec.initPid,
      cgroup,
    });
    fs.closeSync(outW);
    fs.closeSync(errW);
    const { pid, exit } = await launched;
    return { pid, stdout: readers[0], stderr: readers[1], exited: exit };
  } catch (err) {
    for (const r of readers) r.destroy();
    throw err;
  } finally {
    fs.rmSync(configPath, { force: true });
  }
}
