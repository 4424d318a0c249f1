/**
 * A full state disk, through the real CLI and daemon, on a 48 MiB tmpfs mounted as the state
 * root: a container that fills it by logging has its output dropped and counted (inspect, one
 * line in the daemon's log), logging resumes once there is room, and it still stops and goes;
 * a container that fills it by writing to its own root fs (the overlay's upper dir is on the
 * state root) leaves the engine refusing a new container with one clear error, stopping,
 * restarting its daemon and removing. The daemon never dies (same pid) and the records on disk
 * stay whole (no torn file, no temp file left).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';

const TMPFS_SIZE = '48m';
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-diskfull-config-'));
const configFile = path.join(configDir, 'engine.json');
// The image reserve (512 MiB by default) would refuse busybox on so small a disk.
fs.writeFileSync(configFile, JSON.stringify({ 'min-free-space': 0, 'default-network': 'none' }));

function mountTmpfs(root: string): void {
  const r = spawnSync(
    'mount',
    ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0711`, 'tscompose-test', root],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
}

function unmount(root: string): void {
  if (spawnSync('umount', [root]).status !== 0) spawnSync('umount', ['-l', root]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    assert.ok(Date.now() - t0 < ms, `timed out waiting until ${what}`);
    await sleep(200);
  }
}

describe('a full state disk', () => {
  after(() => fs.rmSync(configDir, { recursive: true, force: true }));
  const { root, runRoot, cli } = useCliEngine(
    'tscompose-diskfull-',
    { TSCOMPOSE_CONFIG: configFile },
    { prepare: mountTmpfs, release: unmount },
  );
  const daemonPid = (): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')).pid);
  const daemonLog = (): string => fs.readFileSync(path.join(runRoot, 'engine.log'), 'utf8');
  const ok = (...args: string[]): string => {
    const r = cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const inspect = (name: string): Record<string, unknown> =>
    (JSON.parse(ok('container', 'inspect', name)) as Record<string, unknown>[])[0];
  const freeBytes = (): number => {
    const s = fs.statfsSync(root);
    return s.bavail * s.bsize;
  };
  /** Every record on disk parses, and no temp file of a failed write is left. */
  const recordsWhole = (): void => {
    const dir = path.join(root, 'containers');
    for (const name of fs.readdirSync(dir)) {
      assert.ok(!name.endsWith('.tmp'), `a failed write left ${name}`);
      if (name.endsWith('.json')) JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    }
  };

  test('a container filling it by logging: output dropped and counted, logging resumes, stop and rm work', async () => {
    const filler = path.join(root, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024, 1));
    const pid = daemonPid();
    // As fast as it can until the test says slow (through a folder off the full disk), then 20 lines a second.
    const script = `i=0; while :; do i=$((i+1)); echo "line $i ${'x'.repeat(100)}"; [ -e /ctl/slow ] && sleep 0.05; done`;
    const id = ok(
      'container',
      'run',
      '-d',
      '--name',
      'chatty',
      '-v',
      `${configDir}:/ctl:ro`,
      'busybox',
      'sh',
      '-c',
      script,
    ).trim();
    const dropped = (): { Lines: number; Bytes: number } | undefined =>
      inspect('chatty').LogDropped as { Lines: number; Bytes: number } | undefined;
    await until('inspect shows dropped output', () => (dropped()?.Lines ?? 0) > 0);
    assert.equal(daemonPid(), pid, 'the daemon died');
    ok('container', 'ls');
    const logged = (what: string): number =>
      daemonLog()
        .split('\n')
        .filter((l) => l.includes(`container ${id.slice(0, 12)}: ${what}`)).length;
    await sleep(1000);
    const first = dropped() as { Lines: number; Bytes: number };
    assert.ok(first.Bytes > first.Lines * 100, JSON.stringify(first));
    assert.match(daemonLog(), /log write failed \(ENOSPC: no space left on device/);

    // Room again: the container slows down and its lines are stored again.
    const logFile = inspect('chatty').LogPath as string;
    const fullSize = fs.statSync(logFile).size;
    fs.writeFileSync(path.join(configDir, 'slow'), '');
    await sleep(500);
    fs.rmSync(filler);
    await until('logging resumes', () => logged('log writes resumed') === 1, 30_000);
    assert.ok(fs.statSync(logFile).size > fullSize);
    // Rate-limited: one line when the failures began, one summary, however many writes failed.
    assert.equal(logged('log write failed'), 1, daemonLog());
    assert.match(daemonLog(), /log writes resumed: \d+ lines \(\d+ bytes\) of output dropped since /);

    ok('container', 'stop', '-t', '1', 'chatty');
    const stopped = inspect('chatty');
    assert.equal((stopped.State as { Status: string }).Status, 'exited');
    assert.ok((stopped.LogDropped as { Lines: number }).Lines >= first.Lines);
    // What reached the disk is whole: every record parses (a failed write is cut back) and the first is there.
    const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    assert.match((JSON.parse(lines[0]) as { log: string }).log, /^line 1 x/);
    for (const line of lines) JSON.parse(line);
    recordsWhole();
    ok('container', 'rm', 'chatty');
    assert.equal(ok('container', 'ls', '-a', '-q').trim(), '');
    assert.equal(ok('container', 'run', '--rm', 'busybox', 'echo', 'room again').trim(), 'room again');
    assert.equal(daemonPid(), pid, 'the daemon died');
  });

  test('a container filling it by writing: create fails cleanly; stop, a daemon restart and rm work', async () => {
    const pid = daemonPid();
    assert.equal(fs.statSync(path.join(root, 'reserve')).size, 2 * 1024 * 1024, 'no reserve was taken');
    ok('container', 'create', '--name', 'spare', 'busybox', 'sh', '-c', 'echo started; sleep 1000');
    const id = ok(
      'container',
      'run',
      '-d',
      '--name',
      'hog',
      'busybox',
      'sh',
      '-c',
      'dd if=/dev/zero of=/fill bs=64k; sleep 1000',
    ).trim();
    await until('the disk is full', () => freeBytes() < 64 * 1024);
    await sleep(500);

    // As dockerd on a full disk: the create is refused with the system's words, nothing made.
    const before = fs.readdirSync(path.join(root, 'containers')).length;
    const r = cli('container', 'create', '--name', 'late', 'busybox', 'true');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no space left on device: cannot write container record/);
    assert.doesNotMatch(r.stderr, /ENOSPC|\/containers\//);
    assert.equal(
      fs.readdirSync(path.join(root, 'containers')).length,
      before,
      'the refused create left files',
    );
    assert.equal(daemonPid(), pid, 'the daemon died');

    // A container that exists starts: its files go in the room the reserve kept (logs wait meanwhile).
    ok('container', 'start', 'spare');
    assert.equal((inspect('spare').State as { Status: string }).Status, 'running');
    assert.match(
      daemonLog(),
      /the state disk is full \(no space left on device\): its reserve goes to container records/,
    );

    // The stop is noted on disk, in the room the reserve kept; logs wait meanwhile.
    ok('container', 'stop', '-t', '1', 'hog');
    assert.equal((inspect('hog').State as { Status: string }).Status, 'exited');
    const onDisk = JSON.parse(fs.readFileSync(path.join(root, 'containers', `${id}.json`), 'utf8')) as {
      state: { Status: string; ExitCode: number };
    };
    assert.deepEqual([onDisk.state.Status, onDisk.state.ExitCode], ['exited', 137]);
    ok('container', 'stop', '-t', '1', 'spare');
    recordsWhole();

    // A daemon restart on the full disk: the old one stops, the next one starts and serves.
    ok('engine', 'stop');
    assert.ok(freeBytes() < 4 * 1024 * 1024, 'the disk was not full any more');
    assert.equal(
      ok('container', 'ls', '-a', '--format', '{{.Names}} {{.State}}').split('\n').sort().join(' '),
      ' hog exited spare exited',
    );
    assert.notEqual(daemonPid(), pid);
    recordsWhole();

    ok('container', 'rm', 'hog', 'spare');
    assert.ok(freeBytes() > 32 * 1024 * 1024, 'removing the container freed no space');
    assert.equal(ok('container', 'run', '--rm', 'busybox', 'echo', 'room again').trim(), 'room again');
    await until('the reserve is taken again', () => fs.existsSync(path.join(root, 'reserve')), 20_000);
  });
});
