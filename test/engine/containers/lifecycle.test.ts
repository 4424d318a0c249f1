/**
 * The container lifecycle on a real engine: exit codes, stop with and without a SIGTERM handler,
 * kill, restart, auto-remove, exec, logs, and bad input that must fail cleanly and change nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { KEPT_ENDED_EXECS } from '../../../src/engine/containers/execs';
import { collect } from '../../helpers/engine';
import { useTestEngine } from '../../helpers/engine-suite';

const sh = (script: string): string[] => ['sh', '-c', script];

describe('container lifecycle', () => {
  const suite = useTestEngine();

  test('exit codes, and PID 1 immune to its own signals', async () => {
    for (const [cmd, code] of [
      [sh('exit 0'), 0],
      [sh('exit 3'), 3],
      [sh('exit 255'), 255],
      // PID 1 of a pid namespace gets only the signals it handles, even SIGKILL from inside
      [sh('kill -TERM $$; kill -KILL $$; echo alive'), 0],
      [sh('exec nosuch-in-shell'), 127],
    ] as const) {
      const r = await suite.t.run({ Cmd: [...cmd] });
      assert.equal(r.exitCode, code, `${cmd.join(' ')}: ${r.stderr}`);
    }
  });

  test('stop: a PID 1 without a SIGTERM handler is killed after the grace period', async () => {
    const id = await suite.started(['sleep', '60']);
    const t0 = Date.now();
    await suite.t.engine.stopContainer(id, { timeout: 1 });
    const took = Date.now() - t0;
    const { State } = await suite.t.engine.inspectContainer(id);
    assert.equal(State.Status, 'exited');
    assert.equal(State.ExitCode, 137);
    assert.ok(took >= 900 && took < 8000, `stop took ${took} ms`);
    await suite.t.engine.removeContainer(id);
  });

  test('stop: a handler of the stop signal ends it before the grace period', async () => {
    const id = await suite.started(sh('trap "echo bye; exit 4" TERM; while :; do sleep 0.1; done'));
    await new Promise((r) => setTimeout(r, 300)); // the trap is set
    const t0 = Date.now();
    await suite.t.engine.stopContainer(id, { timeout: 20 });
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal((await suite.t.engine.inspectContainer(id)).State.ExitCode, 4);
    const logs = await collect(suite.t.engine.containerLogs(id, { stdout: true }));
    assert.equal(logs.stdout, 'bye\n');
    await suite.t.engine.removeContainer(id);
  });

  test('a custom stop signal, kill, restart and the state names', async () => {
    const id = await suite.started(sh('trap "exit 9" USR1; while :; do sleep 0.1; done'), {
      StopSignal: 'SIGUSR1',
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await suite.t.engine.inspectContainer(id)).State.Status, 'running');
    await suite.t.engine.stopContainer(id, { timeout: 20 });
    assert.equal((await suite.t.engine.inspectContainer(id)).State.ExitCode, 9);
    await suite.t.engine.startContainer(id);
    assert.equal((await suite.t.engine.inspectContainer(id)).State.Running, true);
    await suite.t.engine.restartContainer(id, { timeout: 0 });
    assert.equal((await suite.t.engine.inspectContainer(id)).State.Running, true);
    await suite.t.engine.killContainer(id);
    assert.equal((await suite.t.engine.waitContainer(id)).StatusCode, 137);
    await assert.rejects(suite.t.engine.killContainer(id), /is not running/);
    await suite.t.engine.removeContainer(id);
  });

  test('auto-remove: the container and its files are gone after it exits', async () => {
    const { Id } = await suite.t.engine.createContainer({
      Image: 'busybox',
      Cmd: sh('exit 2'),
      HostConfig: { AutoRemove: true },
    });
    const removed = suite.t.engine.waitContainer(Id, 'removed');
    await suite.t.engine.startContainer(Id);
    await removed;
    await assert.rejects(suite.t.engine.inspectContainer(Id), /No such container/);
    assert.equal(fs.existsSync(`${suite.t.root}/containers/${Id}`), false);
  });

  test('exec: exit code, env, user and working directory', async () => {
    const id = await suite.started(['sleep', '60'], { Env: ['FROM_RUN=1'] });
    const x = await suite.t.engine.createExec(id, {
      Cmd: sh('echo $FROM_RUN $EXTRA; id -u; pwd; echo oops >&2; exit 6'),
      Env: ['EXTRA=2'],
      User: 'app',
      WorkingDir: '/tmp',
    });
    const out = await collect(suite.t.engine.startExec(x.Id));
    assert.deepEqual(out.stdout.trim().split('\n'), ['1 2', '1000', '/tmp']);
    assert.equal(out.stderr, 'oops\n');
    assert.equal((await suite.t.engine.inspectExec(x.Id)).ExitCode, 6);
    const missing = await suite.t.engine.createExec(id, { Cmd: ['nosuch'] });
    await assert.rejects(collect(suite.t.engine.startExec(missing.Id)), /executable file not found/);
    assert.equal((await suite.t.engine.inspectExec(missing.Id)).ExitCode, 126);
    await suite.t.engine.removeContainer(id, { force: true });
    // The next exec made anywhere forgets the execs of a container that is gone, as dockerd does.
    const other = await suite.started(['sleep', '60']);
    const kept = await suite.t.engine.createExec(other, { Cmd: ['true'] });
    await collect(suite.t.engine.startExec(kept.Id));
    await suite.t.engine.createExec(other, { Cmd: ['true'] });
    await assert.rejects(suite.t.engine.inspectExec(x.Id), /No such exec instance/);
    assert.equal(
      (await suite.t.engine.inspectExec(kept.Id)).ExitCode,
      0,
      'a running container keeps its execs',
    );
    await suite.t.engine.removeContainer(other, { force: true });
  });

  test('exec: a running container keeps only its newest ended execs', async () => {
    const id = await suite.started(['sleep', '120']);
    const ids: string[] = [];
    for (let i = 0; i <= KEPT_ENDED_EXECS; i++) {
      const { Id } = await suite.t.engine.createExec(id, { Cmd: ['true'] });
      await collect(suite.t.engine.startExec(Id));
      ids.push(Id);
    }
    // The next exec sweeps: the oldest ended one goes, the newest KEPT_ENDED_EXECS stay.
    await suite.t.engine.createExec(id, { Cmd: ['true'] });
    await assert.rejects(suite.t.engine.inspectExec(ids[0]), /No such exec instance/);
    for (const kept of ids.slice(1)) assert.equal((await suite.t.engine.inspectExec(kept)).ExitCode, 0);
    await suite.t.engine.removeContainer(id, { force: true });
  });

  test('logs: tail, timestamps, stream selection and follow until the end', async () => {
    const id = await suite.started(sh('for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.1; done'));
    const followed = await collect(
      suite.t.engine.containerLogs(id, { follow: true, stdout: true, stderr: true }),
    );
    assert.equal(followed.stdout, 'out1\nout2\nout3\n');
    assert.equal(followed.stderr, 'err1\nerr2\nerr3\n');
    const tail = await collect(suite.t.engine.containerLogs(id, { stdout: true, tail: '1' }));
    assert.ok(['', 'out3\n'].includes(tail.stdout)); // the last record may be stderr's
    const stamped = await collect(suite.t.engine.containerLogs(id, { stdout: true, timestamps: true }));
    assert.match(stamped.stdout.split('\n')[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out1$/);
    await suite.t.engine.removeContainer(id);
  });

  test('list filters by label and status; names are unique', async () => {
    const a = await suite.t.engine.createContainer(
      { Image: 'busybox', Cmd: ['true'], Labels: { app: 'x', tier: 'web' } },
      'named-a',
    );
    await assert.rejects(
      suite.t.engine.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'named-a'),
      /already in use/,
    );
    const byLabel = await suite.t.engine.listContainers({ all: true, filters: { label: ['app=x'] } });
    assert.deepEqual(
      byLabel.map((c) => c.Id),
      [a.Id],
    );
    assert.deepEqual(await suite.t.engine.listContainers({ all: true, filters: { label: ['app=y'] } }), []);
    assert.deepEqual((await suite.t.engine.listContainers({})).length, 0); // created is not running
    assert.equal(
      (await suite.t.engine.listContainers({ all: true, filters: { status: ['created'] } })).length,
      1,
    );
    await suite.t.engine.removeContainer('named-a');
  });

  test('rename: the new name finds it, the old one does not; taken, same and bad names are refused', async () => {
    const e = suite.t.engine;
    const a = await e.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'ren-a');
    await e.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'ren-b');
    await e.renameContainer('ren-a', 'ren-c');
    assert.equal((await e.inspectContainer('ren-c')).Id, a.Id);
    assert.equal((await e.inspectContainer(a.Id)).Name, '/ren-c');
    await assert.rejects(e.inspectContainer('ren-a'), /No such container/);
    await assert.rejects(e.renameContainer('ren-c', 'ren-b'), /already in use/);
    await assert.rejects(e.renameContainer('ren-c', 'ren-c'), /same name as its current name/);
    await assert.rejects(e.renameContainer('ren-c', 'bad/name'), /Invalid container name/);
    await assert.rejects(e.renameContainer('nosuch', 'ren-d'), /No such container/);
    // The old name is free for another.
    const again = await e.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'ren-a');
    for (const id of [a.Id, 'ren-b', again.Id]) await e.removeContainer(id);
  });

  test('bad input fails with a clear error and leaves nothing behind', async () => {
    const bad: [object, RegExp][] = [
      [{ Image: 'nosuchimage' }, /No such image: nosuchimage/],
      [{ Image: 'busybox', User: 'nobody-here' }, /unable to find user nobody-here/],
      [
        { Image: 'busybox', HostConfig: { Binds: ['/nonexistent-dir-xyz:/x'] } },
        /bind source path does not exist/,
      ],
      [{ Image: 'busybox', HostConfig: { Memory: 1024 } }, /Minimum memory limit/],
      [{ Image: 'busybox', HostConfig: { Sysctls: { 'kernel.hostname': 'x' } } }, /not allowed/],
    ];
    for (const [body, message] of bad) {
      await assert.rejects(suite.t.engine.createContainer(body as never), message);
    }
    assert.deepEqual(await suite.t.engine.listContainers({ all: true }), []);
    const { Id } = await suite.t.engine.createContainer({ Image: 'busybox', Cmd: ['nosuch-command'] });
    await assert.rejects(suite.t.engine.startContainer(Id), /executable file not found in \$PATH/);
    const { State } = await suite.t.engine.inspectContainer(Id);
    assert.equal(State.Running, false);
    assert.equal(State.ExitCode, 127);
    await suite.t.engine.removeContainer(Id);
  });
});
