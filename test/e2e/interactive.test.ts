/**
 * `-it` through the real CLI and the auto-started daemon, under a pseudo-terminal the test
 * makes (tmux): the container's own /dev/pts/0, window size changes, ^C and ^Z reaching the
 * container, exec -it, detach with ctrl-p ctrl-q and attach again, exit codes. Every test has a
 * timeout and a kill path (the tmux server killed, every container removed), and ends with the
 * leak sweep: no container, mount, cgroup or process left, and no pty held by the daemon.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { cgroupDriver, cgroupParentFor } from '../../src/engine/runtime/cgroups';
import { busyboxLayers } from '../helpers/busybox-image';
import { BIN, runCli, type CliResult } from '../helpers/cli';
import { assertNoLeaks } from '../helpers/leaks';
import { assertNoPtyLeaks } from '../helpers/pty-fds';
import { shellQuote, Tmux, tmuxMissing } from '../helpers/tmux';

const TEST = { timeout: 90_000, skip: tmuxMissing() };

describe('interactive containers under a terminal', { skip: tmuxMissing() }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-tty-'));
  const root = path.join(dir, 'root');
  const runRoot = path.join(dir, 'run');
  const env = { ...process.env, TSCOMPOSE_ROOT: root, TSCOMPOSE_RUNROOT: runRoot };
  const cli = (...args: string[]): CliResult => runCli(args, { env });
  const ids = (): string[] =>
    cli('container', 'ls', '-a', '-q', '--no-trunc').stdout.split('\n').filter(Boolean);
  let tmux: Tmux | undefined;
  let seq = 0;

  /** A shell command for tmux: the CLI with these args, its exit code written to a file. */
  const command = (args: string[]): { line: string; code: () => Promise<number> } => {
    const file = path.join(dir, `code-${++seq}`);
    const cmd = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
    const vars = `TSCOMPOSE_ROOT=${shellQuote(root)} TSCOMPOSE_RUNROOT=${shellQuote(runRoot)}`;
    const code = async (): Promise<number> => {
      const deadline = Date.now() + 30_000;
      while (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').endsWith('\n')) {
        if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not end:\n${tmux?.screen()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return Number(fs.readFileSync(file, 'utf8').trim());
    };
    return { line: `env ${vars} ${cmd}; echo $? > ${shellQuote(file)}`, code };
  };

  /** Opens the first window on a fresh tmux server (80x24). */
  const session = (args: string[]): { code: () => Promise<number> } => {
    const c = command(args);
    tmux = new Tmux(dir);
    tmux.open(c.line, { env });
    return c;
  };

  /** `container run -it --rm busybox CMD...` in a fresh session. */
  const runIt = (...cmd: string[]): { code: () => Promise<number> } =>
    session(['container', 'run', '-it', '--rm', 'busybox', ...cmd]);

  const running = (name: string): boolean =>
    cli('container', 'inspect', '-f', '{{.State.Running}}', name).stdout.trim() === 'true';

  before(() => {
    if (tmuxMissing()) return;
    const r = cli('image', 'import', busyboxLayers().layers[0], 'busybox');
    assert.equal(r.status, 0, r.stderr);
  });
  afterEach(async () => {
    // The kill path: whatever state the session is in, nothing of it survives the test.
    tmux?.kill();
    tmux = undefined;
    for (const id of ids()) cli('container', 'rm', '-f', id);
    await assertNoLeaks(root);
    const info = JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')) as { pid: number };
    await assertNoPtyLeaks(info.pid);
  });
  after(async () => {
    try {
      tmux?.kill();
      for (const id of ids()) cli('container', 'rm', '-f', id);
      cli('engine', 'stop');
      await assertNoLeaks(root);
    } finally {
      await cgroupDriver()
        .removeParent(cgroupParentFor(root))
        .catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('run -it: tty is /dev/pts/0 of the container, and --rm removes it', TEST, async () => {
    const s = runIt('sh', '-c', 'tty; [ -t 0 ] && echo stdin-tty');
    assert.equal(await s.code(), 0);
    // tmux may draw the last output after the shell has written the exit code: wait for it.
    await (tmux as Tmux).waitFor(/^\/dev\/pts\/0\nstdin-tty$/m);
    assert.deepEqual(ids(), []);
  });

  test('stty size follows the terminal: 24 80, then 30 100 after a resize', TEST, async () => {
    const s = runIt('sh');
    const t = tmux as Tmux;
    await t.waitFor(/# $/m);
    t.type('main', 'stty size');
    await t.waitFor(/^24 80$/m);
    t.resize('main', 100, 30);
    t.type('main', 'stty size');
    await t.waitFor(/^30 100$/m);
    t.type('main', 'exit 3');
    assert.equal(await s.code(), 3);
  });

  test('^C reaches the foreground process: 130', TEST, async () => {
    const s = runIt('sh', '-c', 'echo ready; sleep 100 && echo no');
    const t = tmux as Tmux;
    await t.waitFor(/ready/);
    t.keys('main', ['C-c']);
    assert.equal(await s.code(), 130);
    assert.doesNotMatch(t.screen(), /no/);
  });

  test('^Z stops the foreground job of an interactive shell; jobs and kill work', TEST, async () => {
    const s = runIt('sh');
    const t = tmux as Tmux;
    await t.waitFor(/# $/m);
    t.type('main', 'sleep 100');
    await new Promise((r) => setTimeout(r, 500));
    t.keys('main', ['C-z']);
    await t.waitFor(/Stopped/);
    t.type('main', 'kill -9 %1');
    await new Promise((r) => setTimeout(r, 300));
    t.type('main', 'jobs');
    await t.waitFor(/Killed/); // reported: ash no longer refuses to exit over a stopped job
    t.type('main', 'exit 5');
    assert.equal(await s.code(), 5);
  });

  test('exec -it into a running container gets the next /dev/pts and its exit code', TEST, async () => {
    const r = cli('container', 'run', '-d', '-t', '--name', 'ex', 'busybox', 'sleep', '1000');
    assert.equal(r.status, 0, r.stderr);
    const s = session(['container', 'exec', '-it', 'ex', 'sh', '-c', 'tty; stty size; exit 6']);
    assert.equal(await s.code(), 6);
    await (tmux as Tmux).waitFor(/^\/dev\/pts\/1\n24 80$/m);
    assert.ok(running('ex'));
  });

  test('ctrl-p ctrl-q detaches and leaves it running; attach joins it again', TEST, async () => {
    const s = session(['container', 'run', '-it', '--name', 'dt', 'busybox', 'sh']);
    const t = tmux as Tmux;
    await t.waitFor(/# $/m);
    t.type('main', 'echo one');
    await t.waitFor(/^one$/m);
    t.keys('main', ['C-p', 'C-q']);
    assert.equal(await s.code(), 0);
    assert.ok(running('dt'));
    const again = command(['container', 'attach', 'dt']);
    t.open(again.line, { window: 'again' });
    await new Promise((r) => setTimeout(r, 1000)); // attached: what we type now reaches it
    t.type('again', 'echo two');
    await t.waitFor(/^two$/m, 'again');
    t.type('again', 'exit 4');
    assert.equal(await again.code(), 4);
    assert.equal(running('dt'), false);
  });

  test('-i without a terminal: piped stdin goes in, its end is EOF there; exec -i too', TEST, async () => {
    const script = 'cat; echo done >&2; exit 2';
    const r = runCli(['container', 'run', '-i', '--rm', 'busybox', 'sh', '-c', script], {
      env,
      input: 'hello\n',
    });
    assert.deepEqual([r.status, r.stdout, r.stderr], [2, 'hello\n', 'done\n']);
    assert.equal(cli('container', 'run', '-d', '--name', 'ei', 'busybox', 'sleep', '1000').status, 0);
    const e = runCli(['container', 'exec', '-i', 'ei', 'wc', '-l'], { env, input: 'a\nb\n' });
    assert.deepEqual([e.status, e.stdout.trim()], [0, '2']);
  });

  test('--detach-keys names other keys; -it with stdin not a terminal is refused', TEST, async () => {
    const s = session([
      'container',
      'run',
      '-it',
      '--detach-keys',
      'ctrl-x,x',
      '--name',
      'dk',
      'busybox',
      'sh',
    ]);
    const t = tmux as Tmux;
    await t.waitFor(/# $/m);
    t.keys('main', ['C-p', 'C-q']); // not the keys now: they reach the shell
    t.keys('main', ['C-x', 'x']);
    assert.equal(await s.code(), 0);
    assert.ok(running('dk'));
    const r = runCli(['container', 'run', '-it', 'busybox', 'true'], { env, input: '' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), 'the input device is not a TTY');
  });
});
