/**
 * Reading what a published TCP port answers, and SIGKILLing a CLI test's daemon to see the one
 * its reaper starts again: the steps the network end-to-end tests share.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { CliResult } from './cli';

/** What a TCP server at 127.0.0.1:port sends before it closes. */
export function readFrom(port: number, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(timeoutMs, () => s.destroy(new Error('timed out')));
  });
}

/** What the port answers once it answers `expected` (a server in a container just started may be late); '' if never. */
export async function answerOf(port: number, expected: string, tries = 50): Promise<string> {
  let got = '';
  for (let i = 0; i < tries && got.trim() !== expected; i++) {
    got = await readFrom(port).catch(() => '');
    if (got.trim() !== expected) await new Promise((res) => setTimeout(res, 200));
  }
  return got.trim();
}

/** The pid of the daemon of `runRoot`. */
export function daemonPid(runRoot: string): number {
  return Number(JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')).pid);
}

/** SIGKILLs the daemon and waits for the one the reaper starts again to answer. */
export async function killDaemon(runRoot: string, cli: (...args: string[]) => CliResult): Promise<void> {
  const first = daemonPid(runRoot);
  process.kill(first, 'SIGKILL');
  const t0 = Date.now();
  while (cli('engine', 'status').status !== 0 || daemonPid(runRoot) === first) {
    assert.ok(Date.now() - t0 < 30_000, 'no daemon came back');
    await new Promise((r) => setTimeout(r, 200));
  }
}
