import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

/** A TSCOMPOSE_ROOT of its own for this test file (removed by the returned cleanup). */
export function tempRoot(prefix: string): { root: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A shell that waits for one line on stdin before running `script`, so the test can move it
 * into a cgroup first. Output and the exit are recorded from the start (an exit can happen
 * before the test awaits it).
 */
export class GatedShell {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;

  constructor(script: string) {
    this.child = spawn('/bin/sh', ['-c', `read go; ${script}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.stdout += d));
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code, signal }) as Exit);
  }

  get pid(): number {
    return this.child.pid!;
  }

  release(): void {
    this.child.stdin!.write('go\n');
  }

  /** Waits for the exit, killing the shell after `timeoutMs`. */
  async exit(timeoutMs = 20_000): Promise<Exit> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Cleanup for finally blocks: the shell itself is gone afterwards. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export async function until(what: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** The cgroup paths of a process, by hierarchy id line of /proc/<pid>/cgroup. */
export function cgroupsOf(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
}
