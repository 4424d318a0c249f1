/** The engine daemon through the real CLI: run, status, stop, a stale socket, start on demand, a stale build. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectEngine, readEngineInfo } from '../../src/engine-api/connect';
import { engineClient, type EngineClient } from '../../src/engine-api/client';
import { enginePaths } from '../../src/engine-api/paths';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli';

interface Ctx {
  env: NodeJS.ProcessEnv;
  runRoot: string;
  socket: string;
  cli: (...args: string[]) => ReturnType<typeof runCli>;
  /** `engine run` in the background. */
  runDaemon: () => ChildProcess;
}

/** Temp roots, and whatever daemon is left at the end is killed, even when the test failed. */
function setup(t: { after: (fn: () => void) => void }): Ctx {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-daemon-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
  };
  delete env.TSCOMPOSE_HOST;
  const children: ChildProcess[] = [];
  const paths = enginePaths(env);
  t.after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    // After a failed test: the reaper first (it starts a killed daemon again), then the daemon,
    // then the read-only bind of node it left in the run root.
    const reaper = readPid(path.join(paths.runRoot, 'reaper.json'));
    if (reaper !== undefined && isDaemon(reaper)) process.kill(reaper, 'SIGKILL');
    const info = readEngineInfo(paths);
    if (info && isDaemon(info.pid)) process.kill(info.pid, 'SIGKILL');
    spawnSync('umount', ['-l', path.join(paths.runRoot, 'node')], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    env,
    runRoot: paths.runRoot,
    socket: paths.socket,
    cli: (...args) => runCli(args, { env }),
    runDaemon: () => {
      const child = spawn(process.execPath, [BIN, 'engine', 'run'], { env, stdio: 'ignore' });
      children.push(child);
      return child;
    },
  };
}

function readPid(file: string): number | undefined {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

function isDaemon(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('engine\0run');
  } catch {
    return false;
  }
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function answers(socket: string): Promise<boolean> {
  const client = engineClient(socket);
  try {
    await client.version();
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('engine status, run, a second run, stop', async (t) => {
  const c = setup(t);
  const before = c.cli('engine', 'status');
  assert.equal(before.status, 1);
  assert.equal(before.stdout, `engine: not running (unix://${c.socket})\n`);

  const daemon = c.runDaemon(); // the reaper; the daemon is its child, named in engine.json
  await waitFor('the socket', () => answers(c.socket));
  const pid = readEngineInfo(enginePaths(c.env))?.pid;
  assert.ok(pid && isDaemon(pid) && pid !== daemon.pid);
  const status = c.cli('engine', 'status');
  assert.equal(status.status, 0, status.stderr);
  assert.match(
    status.stdout,
    new RegExp(`^engine: running\npid: ${pid}\nversion: 0\\.1\\.0 \\(API 1\\.41, build \\w+\\)\n`),
  );
  assert.match(status.stdout, new RegExp(`socket: unix://${c.socket}\n$`));
  assert.match(
    status.stdout,
    /^log: the output of `engine run` \(under systemd: journalctl -u tscompose\.service\)$/m,
  );
  assert.equal(fs.statSync(c.socket).mode & 0o777, 0o660);
  const json = JSON.parse(c.cli('engine', 'status', '--format', 'json').stdout);
  assert.equal(json.pid, pid);
  assert.equal(json.autoStarted, false);

  const second = c.cli('engine', 'run');
  assert.equal(second.status, 1);
  assert.match(second.stderr, /^another engine is running on .*engine\.lock is locked\)\n$/);
  assert.ok(await answers(c.socket), 'the first daemon still serves');

  const stop = c.cli('engine', 'stop');
  assert.equal(stop.status, 0, stop.stderr);
  assert.equal(stop.stdout, `engine stopped (pid ${pid})\n`);
  assert.equal(await exited(daemon), 0);
  assert.equal(fs.existsSync(c.socket), false);
  assert.equal(fs.existsSync(path.join(c.runRoot, 'engine.json')), false);
  assert.equal(c.cli('engine', 'status').status, 1);
  const again = c.cli('engine', 'stop');
  assert.equal(again.status, 0);
  assert.equal(again.stdout, 'engine is not running\n');
});

test('the socket and pid file of a SIGKILLed daemon do not stop the next start', async (t) => {
  const c = setup(t);
  const first = c.runDaemon();
  await waitFor('the socket', () => answers(c.socket));
  // The whole engine dies: the reaper first (or it would start the daemon again), then the daemon.
  const pid = readEngineInfo(enginePaths(c.env))?.pid as number;
  first.kill('SIGKILL');
  await exited(first);
  process.kill(pid, 'SIGKILL');
  await waitFor('the daemon to die', () => !isDaemon(pid));
  assert.ok(fs.lstatSync(c.socket).isSocket(), 'the dead daemon left its socket');
  assert.equal(c.cli('engine', 'status').status, 1);

  const next = c.runDaemon();
  await waitFor('the socket of the next daemon', () => answers(c.socket));
  assert.notEqual(readEngineInfo(enginePaths(c.env))?.pid, pid);
  assert.equal(c.cli('engine', 'stop').status, 0);
  assert.equal(await exited(next), 0);
});

test('connectEngine starts a daemon on demand; engine stop stops it', async (t) => {
  const c = setup(t);
  const api = await connectEngine({ env: c.env });
  assert.equal((await api.version()).ApiVersion, '1.41');
  const info = readEngineInfo(enginePaths(c.env));
  assert.ok(info && isDaemon(info.pid));
  assert.equal(info.autoStarted, true);
  assert.match(fs.readFileSync(path.join(c.runRoot, 'engine.log'), 'utf8'), /listening on unix:\/\//);
  const again = await connectEngine({ env: c.env });
  assert.equal((await again.version()).BuildId, info.buildId);
  assert.equal(readEngineInfo(enginePaths(c.env))?.pid, info.pid, 'a running daemon is reused');
  (api as EngineClient).close();
  (again as EngineClient).close();

  const status = c.cli('engine', 'status');
  assert.match(status.stdout, new RegExp(`pid: ${info.pid} \\(started on demand\\)`));
  // the CLI that started it sent its output to the log status names
  assert.match(status.stdout, new RegExp(`^log: ${path.join(c.runRoot, 'engine.log')}$`, 'm'));
  assert.equal(
    JSON.parse(c.cli('engine', 'status', '--format', 'json').stdout).log,
    path.join(c.runRoot, 'engine.log'),
  );
  const stop = c.cli('engine', 'stop');
  assert.equal(stop.stdout, `engine stopped (pid ${info.pid})\n`);
  await waitFor('the daemon to exit', () => !isDaemon(info.pid));
  await assert.rejects(connectEngine({ env: c.env, autoStart: false }), { code: 'ENGINE_UNREACHABLE' });
});

/**
 * A private copy of the built package (sharing node_modules), so that "rebuilding" it does not
 * change the build id of the checkout other tests run from.
 */
function copyOfBuild(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-build-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const part of ['package.json', 'oclif.manifest.json', 'bin', path.join('dist', 'src')])
    fs.cpSync(path.join(REPO_ROOT, part), path.join(dir, part), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

test('a daemon started on demand by an older build is replaced by a fresh one', async (t) => {
  const c = setup(t);
  const pkg = copyOfBuild(t);
  const connectJs = path.join(pkg, 'dist', 'src', 'engine-api', 'connect.js');
  const connect = (): string => {
    const script = `require(${JSON.stringify(connectJs)}).connectEngine()
      .then(async (api) => { console.log((await api.version()).BuildId); api.close(); })`;
    const r = spawnSync(process.execPath, ['-e', script], { env: c.env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const oldBuild = connect();
  const before = readEngineInfo(enginePaths(c.env));
  assert.ok(before && isDaemon(before.pid));
  assert.equal(before.buildId, oldBuild);
  assert.equal(connect(), oldBuild, 'the same build reuses its daemon');
  assert.equal(readEngineInfo(enginePaths(c.env))?.pid, before.pid);
  // What a rebuild does to a compiled file: the next CLI computes another build id.
  const compiled = path.join(pkg, 'dist', 'src', 'common', 'frames.js');
  fs.utimesSync(compiled, new Date(), new Date(Date.now() + 5000));
  const newBuild = connect();
  assert.notEqual(newBuild, oldBuild);
  const after = readEngineInfo(enginePaths(c.env));
  assert.ok(after);
  assert.notEqual(after.pid, before.pid);
  assert.equal(after.buildId, newBuild);
  assert.equal(isDaemon(before.pid), false, 'the stale daemon is gone');
  assert.match(fs.readFileSync(`/proc/${after.pid}/cmdline`, 'utf8'), new RegExp(pkg));
  assert.equal(c.cli('engine', 'stop').status, 0);
});

test('a daemon the user started is kept even when its build differs', async (t) => {
  const c = setup(t);
  const pkg = copyOfBuild(t);
  const daemon = spawn(process.execPath, [path.join(pkg, 'bin', 'run.js'), 'engine', 'run'], {
    env: c.env,
    stdio: 'ignore',
  });
  t.after(() => daemon.kill('SIGKILL'));
  await waitFor('the socket', () => answers(c.socket));
  // The copy's build id differs from this checkout's: the build's place is part of it.
  const api = await connectEngine({ env: c.env });
  (api as EngineClient).close();
  const kept = readEngineInfo(enginePaths(c.env))?.pid as number;
  assert.ok(
    isDaemon(kept) && fs.readFileSync(`/proc/${kept}/cmdline`, 'utf8').includes(pkg),
    'the copy still serves',
  );
  assert.equal(c.cli('engine', 'stop').status, 0);
  assert.equal(await exited(daemon), 0);
});
