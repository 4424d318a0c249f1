/**
 * Restart policies with docker's back-off, and healthchecks, on real containers. Timing is
 * checked with generous bounds only.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { ContainerInspect } from '../../../src/engine-api/container/types';
import { assertNoLeaks } from '../../helpers/leaks';
import { startTestEngine, type TestEngine } from '../../helpers/engine';

const sh = (script: string): string[] => ['sh', '-c', script];
const S = 1_000_000_000; // the API's durations are nanoseconds

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restart policies and healthchecks', () => {
  let t: TestEngine;
  const inspect = (id: string): Promise<ContainerInspect> => t.engine.inspectContainer(id);
  before(async () => {
    t = await startTestEngine();
  });
  after(async () => {
    await t?.close();
  });
  afterEach(async () => {
    for (const c of await t.engine.listContainers({ all: true }))
      await t.engine.removeContainer(c.Id, { force: true });
    await assertNoLeaks(t.root);
  });

  test('on-failure:2 with exit 3 restarts twice, then stays exited with 3', async () => {
    const { Id } = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: sh('echo run; exit 3'),
      HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } },
    });
    await t.engine.startContainer(Id);
    const { StatusCode } = await t.engine.waitContainer(Id, 'not-running');
    assert.equal(StatusCode, 3);
    const c = await inspect(Id);
    assert.equal(c.RestartCount, 2);
    assert.equal(c.State.Status, 'exited');
    assert.equal(c.State.ExitCode, 3);
  });

  test('on-failure does not restart a clean exit', async () => {
    const { Id } = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: ['true'],
      HostConfig: { RestartPolicy: { Name: 'on-failure' } },
    });
    await t.engine.startContainer(Id);
    assert.equal((await t.engine.waitContainer(Id)).StatusCode, 0);
    assert.equal((await inspect(Id)).RestartCount, 0);
  });

  test('always restarts after a crash, with a doubling back-off, in the restarting state', async () => {
    const { Id } = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: sh('exit 1'),
      HostConfig: { RestartPolicy: { Name: 'always' } },
    });
    await t.engine.startContainer(Id);
    await until('restarting', async () =>
      (await inspect(Id)).State.Status === 'restarting' ? true : undefined,
    );
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    const count = (await inspect(Id)).RestartCount;
    // 100 + 200 + 400 + 800 + 1600 ms of back-off fit in 4 s, 3200 more do not; without a
    // back-off a container that exits at once would restart dozens of times
    assert.ok(count >= 2 && count <= 8, `${count} restarts in ${Date.now() - t0} ms`);
    await t.engine.stopContainer(Id, { timeout: 1 });
    const after = await inspect(Id);
    assert.equal(after.State.Status, 'exited');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal((await inspect(Id)).RestartCount, after.RestartCount, 'no restart after stop');
  });

  test('always brings back a container killed from outside; unless-stopped stays stopped after stop', async () => {
    const a = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: ['sleep', '60'],
      HostConfig: { RestartPolicy: { Name: 'always' } },
    });
    await t.engine.startContainer(a.Id);
    const pid = (await inspect(a.Id)).State.Pid;
    process.kill(pid, 'SIGKILL'); // a crash, not a `kill` through the engine
    const back = await until('a new pid', async () => {
      const s = (await inspect(a.Id)).State;
      return s.Status === 'running' && s.Pid !== pid ? s : undefined;
    });
    assert.ok(back.Pid > 0);
    assert.equal((await inspect(a.Id)).RestartCount, 1);

    const u = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: ['sleep', '60'],
      HostConfig: { RestartPolicy: { Name: 'unless-stopped' } },
    });
    await t.engine.startContainer(u.Id);
    await t.engine.stopContainer(u.Id, { timeout: 0 });
    await new Promise((r) => setTimeout(r, 500));
    const s = (await inspect(u.Id)).State;
    assert.equal(s.Status, 'exited');
    assert.equal((await inspect(u.Id)).RestartCount, 0);
  });

  test('health: starting, then unhealthy, then healthy once the file appears', async () => {
    const { Id } = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: ['sleep', '60'],
      Healthcheck: { Test: ['CMD-SHELL', 'cat /tmp/ok'], Interval: 0.2 * S, Timeout: 2 * S, Retries: 2 },
    });
    await t.engine.startContainer(Id);
    assert.equal((await inspect(Id)).State.Health?.Status, 'starting');
    const bad = await until('unhealthy', async () => {
      const h = (await inspect(Id)).State.Health;
      return h?.Status === 'unhealthy' ? h : undefined;
    });
    assert.ok(bad.FailingStreak >= 2);
    assert.match(bad.Log[bad.Log.length - 1].Output, /can't open '\/tmp\/ok'/);
    const x = await t.engine.createExec(Id, { Cmd: sh('echo fine > /tmp/ok') });
    for await (const _ of t.engine.startExec(x.Id)) void _;
    const good = await until('healthy', async () => {
      const h = (await inspect(Id)).State.Health;
      return h?.Status === 'healthy' ? h : undefined;
    });
    assert.equal(good.FailingStreak, 0);
    assert.equal(good.Log[good.Log.length - 1].Output, 'fine\n');
    assert.ok(good.Log.length <= 5);
  });

  test('health: failures inside the start period do not count', async () => {
    const { Id } = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: ['sleep', '60'],
      Healthcheck: {
        Test: ['CMD', 'false'],
        Interval: 0.2 * S,
        Retries: 1,
        // Generous: on a loaded machine a probe (an exec) can take most of a second.
        StartPeriod: 6 * S,
        StartInterval: 0.2 * S,
      },
    });
    await t.engine.startContainer(Id);
    await new Promise((r) => setTimeout(r, 3000));
    const early = (await inspect(Id)).State.Health;
    assert.equal(early?.Status, 'starting');
    assert.equal(early?.FailingStreak, 0);
    assert.ok((early?.Log.length ?? 0) >= 2, 'probes ran in the start period');
    await until('unhealthy after the start period', async () =>
      (await inspect(Id)).State.Health?.Status === 'unhealthy' ? true : undefined,
    );
  });
});
