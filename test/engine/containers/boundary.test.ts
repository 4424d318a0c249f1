/**
 * The container boundary against paths a container's author picks: workdirs and mount targets
 * through /proc magic links are refused with a clear start error (an init that spun for ever
 * on a workdir under /proc before), read-only binds are read-only in their submounts too, and
 * /proc/interrupts is masked. In-process engine, real containers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { collect } from '../../helpers/engine';
import { useTestEngine } from '../../helpers/engine-suite';

const sh = (script: string): string[] => ['sh', '-c', script];

/** Rejects when `p` has not settled within `ms` (an init that never reports). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('the container boundary', () => {
  const suite = useTestEngine();

  // Before the fix the init spun for ever in a mkdir loop: the start never settled.
  test(
    'a workdir through a /proc magic link is refused, and the init does not spin',
    { timeout: 180_000 },
    async () => {
      for (const dir of ['/proc/self/fd/3', '/proc/1/root/tmp', '/proc/self/cwd']) {
        const { Id } = await suite.t.engine.createContainer({
          Image: 'busybox',
          Cmd: ['pwd'],
          WorkingDir: dir,
        });
        try {
          await assert.rejects(
            within(suite.t.engine.startContainer(Id), 60_000, `start with -w ${dir}`),
            /working directory "[^"]+" cannot be resolved in the container: it goes through a \/proc magic link/,
          );
          assert.equal((await suite.t.engine.inspectContainer(Id)).State.Running, false);
        } finally {
          await suite.t.engine.removeContainer(Id, { force: true });
        }
      }
    },
  );

  test('a mount target through a /proc magic link is refused', async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bind-'));
    try {
      for (const target of ['/proc/self/root/etc/evil', '/proc/1/cwd/evil']) {
        const { Id } = await suite.t.engine.createContainer({
          Image: 'busybox',
          Cmd: ['true'],
          HostConfig: { Binds: [`${src}:${target}`] },
        });
        try {
          await assert.rejects(
            within(suite.t.engine.startContainer(Id), 60_000, `a bind onto ${target}`),
            /mount target "[^"]+" cannot be resolved in the container: it goes through a \/proc magic link/,
          );
        } finally {
          await suite.t.engine.removeContainer(Id, { force: true });
        }
      }
    } finally {
      fs.rmSync(src, { recursive: true, force: true });
    }
  });

  test('a symlink to nowhere on the way to a mount target is followed inside the container', async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-links-'));
    const escape = `/tscompose-escape-${path.basename(host)}`;
    try {
      fs.mkdirSync(path.join(host, 'data'));
      fs.mkdirSync(path.join(host, 'other'));
      fs.writeFileSync(path.join(host, 'other', 'f'), 'other');
      // Inside /data: a link to a directory that exists nowhere yet, absolute and relative.
      fs.symlinkSync(`${escape}/dir`, path.join(host, 'data', 'abs'));
      fs.symlinkSync(`../..${escape}/rel`, path.join(host, 'data', 'rel'));
      const r = await suite.t.run({
        Cmd: sh(`cat /data/abs/sub/f /data/rel/sub/f; echo; ls ${escape}`),
        HostConfig: {
          Binds: [`${host}/data:/data`, `${host}/other:/data/abs/sub:ro`, `${host}/other:/data/rel/sub:ro`],
        },
      });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n'), ['otherother', 'dir', 'rel']);
      // Made in the container's own root, never on the host.
      assert.equal(fs.existsSync(escape), false);
      assert.deepEqual(fs.readdirSync(path.join(host, 'data')).sort(), ['abs', 'rel']);
    } finally {
      fs.rmSync(host, { recursive: true, force: true });
      fs.rmSync(escape, { recursive: true, force: true });
    }
  });

  test("an exec's workdir through a /proc magic link is refused", async () => {
    const id = await suite.started(['sleep', '60']);
    const x = await suite.t.engine.createExec(id, { Cmd: ['pwd'], WorkingDir: '/proc/self/cwd' });
    await assert.rejects(collect(suite.t.engine.startExec(x.Id)), /magic link/);
    assert.equal((await suite.t.engine.inspectExec(x.Id)).ExitCode, 126);
    // A plain workdir still works.
    const ok = await suite.t.engine.createExec(id, { Cmd: ['pwd'], WorkingDir: '/tmp' });
    const out = await collect(suite.t.engine.startExec(ok.Id));
    await suite.t.engine.removeContainer(id, { force: true });
    assert.equal(out.stdout, '/tmp\n');
  });

  test('a read-only bind is read-only in its submounts too', async () => {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-robind-'));
    const sub = path.join(host, 'sub');
    fs.mkdirSync(sub);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tscompose-test', sub]);
    assert.equal(mounted.status, 0, String(mounted.stderr));
    try {
      fs.writeFileSync(path.join(sub, 'canary'), 'host');
      const r = await suite.t.run({
        Cmd: sh(
          'echo x > /data/top 2>/dev/null; echo top=$?; echo x > /data/sub/canary 2>/dev/null; echo sub=$?; ' +
            'mkdir /data/sub/d 2>/dev/null; echo mkdir=$?; cat /data/sub/canary',
        ),
        HostConfig: { Binds: [`${host}:/data:ro`] },
      });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n'), ['top=1', 'sub=1', 'mkdir=1', 'host']);
      assert.equal(fs.readFileSync(path.join(sub, 'canary'), 'utf8'), 'host');
      assert.deepEqual(fs.readdirSync(sub), ['canary']);
      assert.deepEqual(fs.readdirSync(host), ['sub']);
      // A writable bind of the same tree stays writable throughout.
      const rw = await suite.t.run({
        Cmd: sh('echo y > /data/sub/rw && echo ok'),
        HostConfig: { Binds: [`${host}:/data`] },
      });
      assert.equal(rw.stdout.trim(), 'ok', rw.stderr);
    } finally {
      spawnSync('umount', [sub]);
      fs.rmSync(host, { recursive: true, force: true });
    }
  });

  test('/proc/interrupts is masked', async () => {
    const r = await suite.t.run({ Cmd: sh('wc -c < /proc/interrupts; wc -c < /proc/timer_list') });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim()),
      ['0', '0'],
    );
  });
});
