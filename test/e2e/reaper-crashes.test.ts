/**
 * The reaper never gives up while a container lives: the daemon is SIGKILLed, the one started
 * again is SIGKILLed as it starts, and the next ones fail as they start (the socket path is
 * taken by a directory) for a few seconds, while one container exits with 42. The reaper stays,
 * a daemon comes back once the path is free, the exit code is 42 and the other container was
 * re-adopted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    } catch {
      // the thread ended
    }
  }
  return out;
}

const isDaemon = (pid: number): boolean => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--child');
  } catch {
    return false;
  }
};

const alive = (pid: number): boolean => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
};

describe('the reaper through quick daemon crashes', () => {
  const { runRoot, cli } = useCliEngine('tscompose-reaper-');
  const pidIn = (file: string): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, file), 'utf8')).pid);
  const inspect = (name: string, format: string): string =>
    cli('container', 'inspect', '--format', format, name).stdout.trim();

  test('two crashes within a second and failing starts lose neither the reaper nor an exit code', async () => {
    for (const args of [
      ['--name', 'keeper', 'busybox', 'sleep', '3600'],
      ['--name', 'quitter', 'busybox', 'sh', '-c', 'sleep 2; exit 42'],
    ]) {
      const r = cli('container', 'run', '-d', ...args);
      assert.equal(r.status, 0, r.stderr);
    }
    const keeperPid = Number(inspect('keeper', '{{.State.Pid}}'));
    const reaper = pidIn('reaper.json');
    const first = pidIn('engine.json');
    const socket = path.join(runRoot, 'engine.sock');

    process.kill(first, 'SIGKILL');
    const t0 = Date.now();
    let second: number | undefined;
    while (second === undefined) {
      assert.ok(Date.now() - t0 < 10_000, 'the reaper started no daemon after the first crash');
      second = childrenOf(reaper).find((p) => p !== first && isDaemon(p));
      if (second === undefined) await sleep(5);
    }
    process.kill(second, 'SIGKILL');
    // The daemons after it fail as they start, until the path is free again.
    fs.rmSync(socket, { force: true });
    fs.mkdirSync(path.join(socket, 'taken'), { recursive: true });
    await sleep(5000);
    assert.ok(alive(reaper), 'the reaper gave up');
    assert.ok(alive(keeperPid), 'keeper died with the daemons');
    assert.match(fs.readFileSync(path.join(runRoot, 'engine.log'), 'utf8'), /exists and is not a socket/);

    fs.rmSync(socket, { recursive: true, force: true });
    const t1 = Date.now();
    while (cli('engine', 'status').status !== 0) {
      assert.ok(Date.now() - t1 < 60_000, 'no daemon came back');
      await sleep(250);
    }
    assert.equal(pidIn('reaper.json'), reaper);
    assert.equal(inspect('quitter', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 42');
    assert.equal(inspect('keeper', '{{.State.Status}} {{.State.Pid}}'), `running ${keeperPid}`);
    const exec = cli('container', 'exec', 'keeper', 'echo', 'adopted');
    assert.equal(exec.stdout, 'adopted\n', exec.stderr);
    const stop = cli('container', 'stop', '-t', '1', 'keeper');
    assert.equal(stop.status, 0, stop.stderr);
    assert.equal(inspect('keeper', '{{.State.ExitCode}}'), '137');
    assert.deepEqual(fs.readdirSync(path.join(runRoot, 'exits')), [], 'exit records left behind');
  });
});

describe('engine stop and the reaper', () => {
  const OUTAGE_MS = 6000;
  const { runRoot, cli } = useCliEngine('tscompose-reaper-stop-', {
    TSCOMPOSE_DAEMON_RESTART_DELAY_MS: String(OUTAGE_MS),
  });
  const pidIn = (file: string): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, file), 'utf8')).pid);

  test('engine stop returns once the reaper has exited too', () => {
    assert.equal(cli('container', 'ls').status, 0);
    const reaper = pidIn('reaper.json');
    const r = cli('engine', 'stop');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!alive(reaper), `the reaper (pid ${reaper}) still runs after engine stop`);
  });

  test('engine stop while the daemon is down stops the reaper that would bring it back', async () => {
    assert.equal(cli('container', 'ls').status, 0);
    const reaper = pidIn('reaper.json');
    process.kill(pidIn('engine.json'), 'SIGKILL');
    await sleep(500);
    const r = cli('engine', 'stop');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!alive(reaper), `the reaper (pid ${reaper}) still runs after engine stop`);
    await sleep(OUTAGE_MS + 1000);
    assert.equal(cli('engine', 'status').status, 1, 'a daemon came back after engine stop');
  });

  test('a daemon that cannot start, with no container to keep, fails the CLI at once with its reason', () => {
    cli('engine', 'stop');
    const socket = path.join(runRoot, 'engine.sock');
    fs.rmSync(socket, { force: true }); // left by a daemon SIGKILLed above
    fs.mkdirSync(path.join(socket, 'taken'), { recursive: true });
    try {
      const t0 = Date.now();
      const r = cli('container', 'ls');
      assert.equal(r.status, 1);
      assert.match(
        r.stderr,
        /^the tscompose engine failed \(exit code 1\): .*exists and is not a socket; see .*engine\.log\n$/,
      );
      assert.ok(Date.now() - t0 < 30_000, `${Date.now() - t0} ms`);
    } finally {
      fs.rmSync(socket, { recursive: true, force: true });
    }
  });
});
