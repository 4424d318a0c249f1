/**
 * runc's CVE-2019-5736 against this engine: a program with `#!/proc/self/exe` as its interpreter
 * is run by whatever binary execve()s it, here the engine's container init or exec helper (node,
 * until its execve). Run through exec, as a healthcheck probe and as the container's command, it
 * tries to open that binary for writing at once, and keeps a descriptor of it in a shell loop
 * that tries again and again while the engine is down. The whole engine (CLI, reaper, daemon,
 * helpers) runs from a private copy of node made for this file, never the machine's own binary,
 * and the copy must come out unchanged. The container gets the host's C libraries (read-only)
 * so that node can run inside busybox.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engineClient } from '../../src/engine-api/client';
import { useCliEngine } from '../helpers/cli-engine';

/** The attack, in JavaScript: the interpreter it gets is node (the helper's binary). */
const ATTACK = `#!/proc/self/exe
const fs = require('fs');
const { spawn } = require('child_process');
const tag = process.argv[2];
const note = (name, text) => fs.appendFileSync('/shared/' + tag + '.' + name, text + '\\n');
try {
  fs.closeSync(fs.openSync('/proc/self/exe', fs.constants.O_WRONLY | fs.constants.O_TRUNC));
  note('now', 'opened');
} catch (e) {
  note('now', e.code);
}
let first = true;
try {
  fs.writeFileSync('/shared/' + tag + '.started', '', { flag: 'wx' });
} catch {
  first = false; // a later healthcheck probe: one loop is enough
}
if (first && tag !== 'pid1') {
  const O_PATH = 0o10000000;
  const fd = fs.openSync('/proc/self/exe', O_PATH);
  const loop =
    'i=0; while [ ! -e /shared/stop ]; do i=$((i+1)); ' +
    'if { echo pwned >> /proc/self/fd/3; } 2>/shared/' + tag + '.err; then echo $i > /shared/' + tag + '.wrote; fi; ' +
    'echo $i > /shared/' + tag + '.tries; sleep 0.1; done';
  spawn('/bin/sh', ['-c', loop], { stdio: ['ignore', 'ignore', 'ignore', fd], detached: true }).unref();
}
`;

/** The directories of node's shared libraries and of its ELF interpreter, as ldd names them. */
function nodeLibraryDirs(): string[] {
  const r = spawnSync('ldd', [process.execPath], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  const dirs = new Set<string>();
  for (const m of r.stdout.matchAll(/(\/\S+)\s+\(0x/g)) dirs.add(path.dirname(m[1]));
  return [...dirs];
}

const sha256 = (file: string): string =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    assert.ok(Date.now() - t0 < ms, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the engine's node binary is out of the containers' reach", () => {
  const nodeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-node-copy-'));
  const node = path.join(nodeDir, 'node');
  before(() => fs.copyFileSync(process.execPath, node));
  const e = useCliEngine('tscompose-exe-', {}, { node });
  after(() => fs.rmSync(nodeDir, { recursive: true, force: true }));

  const shared = path.join(e.dir, 'shared');
  const read = (name: string): string => {
    try {
      return fs.readFileSync(path.join(shared, name), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const libDirs = nodeLibraryDirs();
  const volumes = [`${shared}:/shared`, ...libDirs.map((d) => `${d}:${d}:ro`)];
  const engineFile = (name: string): { pid: number } =>
    JSON.parse(fs.readFileSync(path.join(e.runRoot, name), 'utf8')) as { pid: number };

  before(() => {
    fs.mkdirSync(shared);
    fs.writeFileSync(path.join(shared, 'attack.js'), ATTACK, { mode: 0o755 });
  });

  test('a #!/proc/self/exe program as the container command cannot open it for writing', () => {
    assert.ok(libDirs.length, 'ldd names no library of node');
    const original = sha256(node);
    const args = volumes.flatMap((v) => ['-v', v]);
    const r = e.cli('container', 'run', '--rm', ...args, 'busybox', '/shared/attack.js', 'pid1');
    assert.equal(r.status, 0, r.stderr);
    // Before the fix: ETXTBSY, only as long as a process still runs the binary.
    assert.equal(read('pid1.now'), 'EROFS');
    assert.equal(sha256(node), original);
  });

  test('nor through exec or a healthcheck, nor with a descriptor kept until the engine is down', async () => {
    const original = sha256(node);
    const client = engineClient(path.join(e.runRoot, 'engine.sock'));
    const { Id } = await client.createContainer(
      {
        Image: 'busybox',
        Cmd: ['sleep', '1000'],
        Healthcheck: { Test: ['CMD', '/shared/attack.js', 'health'], Interval: 500_000_000 },
        HostConfig: { Binds: volumes },
      },
      'target',
    );
    await client.startContainer(Id);
    client.close();
    // Everything of the engine runs the copy, so nothing below can reach the machine's node.
    const daemon = engineFile('engine.json').pid;
    const reaper = engineFile('reaper.json').pid;
    for (const pid of [daemon, reaper]) assert.equal(fs.readlinkSync(`/proc/${pid}/exe`), node);

    const ex = e.cli('container', 'exec', 'target', '/shared/attack.js', 'exec');
    assert.equal(ex.status, 0, ex.stderr);
    await until('the healthcheck probe', () => read('health.now') !== '');
    for (const tag of ['exec', 'health']) {
      assert.equal(read(`${tag}.now`).split('\n')[0], 'EROFS', tag);
      await until(`${tag}'s loop`, () => Number(read(`${tag}.tries`)) > 0);
    }

    // The engine down (as a crash leaves it; a clean stop would stop the loops with their
    // containers): the reaper first, so that it does not start the daemon again.
    process.kill(reaper, 'SIGKILL');
    process.kill(daemon, 'SIGKILL');
    await until(
      'the engine to be gone',
      () => !fs.existsSync(`/proc/${daemon}`) && !fs.existsSync(`/proc/${reaper}`),
    );
    await new Promise((r) => setTimeout(r, 1000)); // a pooled init sees its daemon gone and exits
    const tries = { exec: Number(read('exec.tries')), health: Number(read('health.tries')) };
    try {
      for (const tag of ['exec', 'health'] as const)
        await until(
          `${tag}'s tries with the engine down`,
          () => Number(read(`${tag}.tries`)) >= tries[tag] + 10,
        );
    } finally {
      fs.writeFileSync(path.join(shared, 'stop'), '');
    }
    for (const tag of ['exec', 'health']) {
      assert.equal(read(`${tag}.wrote`), '', `${tag}'s loop wrote into the engine's binary`);
      assert.match(read(`${tag}.err`), /Read-only file system/, tag);
    }
    assert.equal(sha256(node), original, "the engine's binary changed");

    // The next daemon takes over the dead one's read-only bind and removes it when it stops.
    const rm = e.cli('container', 'rm', '-f', 'target');
    assert.equal(rm.status, 0, rm.stderr);
  });
});
