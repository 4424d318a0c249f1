/**
 * pause/unpause, stats and events on real containers: a paused counter stops counting and
 * resumes, a paused container still stops and dies as docker lets it, a memory hog's stats
 * show its memory and processes, and the event stream sees a container's life in order.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { EngineEvent } from '../../../src/engine-api/events/types';
import type { ContainerStats } from '../../../src/engine-api/container/stats-types';
import { memoryUsage } from '../../../src/cli/container/render-stats';
import { collect, type TestEngine } from '../../helpers/engine';
import { useTestEngine } from '../../helpers/engine-suite';

const sh = (script: string): string[] => ['sh', '-c', script];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const COUNTER = sh('i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done');

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('pause, stats and events', () => {
  const suite = useTestEngine();
  const started = suite.started;
  let t: TestEngine;
  before(() => {
    t = suite.t;
  });
  const lines = async (id: string): Promise<number> =>
    (await collect(t.engine.containerLogs(id, { stdout: true }))).stdout.split('\n').filter(Boolean).length;

  test('pause: the counter stops counting, the state says paused; unpause: it counts again', async () => {
    const id = await started(COUNTER);
    await sleep(400);
    await t.engine.pauseContainer(id);
    const { State } = await t.engine.inspectContainer(id);
    assert.equal(State.Status, 'paused');
    assert.equal(State.Paused, true);
    assert.equal(State.Running, true);
    const [listed] = await t.engine.listContainers({ filters: { status: ['paused'] } });
    assert.match(listed.Status, /^Up .* \(Paused\)$/);
    await sleep(300); // what was written before the freeze has drained
    const frozenAt = await lines(id);
    assert.ok(frozenAt > 0);
    await sleep(700);
    assert.equal(await lines(id), frozenAt, 'no output while paused');

    await t.engine.unpauseContainer(id);
    assert.equal((await t.engine.inspectContainer(id)).State.Status, 'running');
    await sleep(700);
    assert.ok((await lines(id)) > frozenAt + 3, 'counting again');
    await t.engine.removeContainer(id, { force: true });
  });

  test("pause: docker's refusals; stop, kill and rm -f of a paused container work", async () => {
    const id = await started(['sleep', '60']);
    await assert.rejects(t.engine.unpauseContainer(id), { message: `Container ${id} is not paused` });
    await t.engine.pauseContainer(id);
    await assert.rejects(t.engine.pauseContainer(id), { message: `Container ${id} is already paused` });
    await assert.rejects(
      t.engine.createExec(id, { Cmd: ['true'] }),
      /is paused, unpause the container before exec/,
    );
    await assert.rejects(
      t.engine.removeContainer(id),
      /container is paused: stop the container before removing/,
    );
    const t0 = Date.now();
    await t.engine.stopContainer(id, { timeout: 1 });
    assert.ok(Date.now() - t0 < 8000);
    let { State } = await t.engine.inspectContainer(id);
    assert.deepEqual([State.Status, State.Paused, State.ExitCode], ['exited', false, 137]);
    await assert.rejects(t.engine.pauseContainer(id), { message: `Container ${id} is not running` });

    await t.engine.startContainer(id);
    await t.engine.pauseContainer(id);
    await t.engine.killContainer(id);
    assert.equal((await t.engine.waitContainer(id)).StatusCode, 137);
    ({ State } = await t.engine.inspectContainer(id));
    assert.equal(State.Paused, false);

    await t.engine.startContainer(id);
    await t.engine.pauseContainer(id);
    await t.engine.removeContainer(id, { force: true });
    await assert.rejects(t.engine.inspectContainer(id), /No such container/);
  });

  test('pause: healthchecks fail without running while paused, as dockerd refuses the exec', async () => {
    const id = await started(['sleep', '60'], {
      Healthcheck: { Test: ['CMD', 'true'], Interval: 200e6, Timeout: 2e9, Retries: 1 },
    });
    const health = async () => (await t.engine.inspectContainer(id)).State.Health;
    const until = async (status: string): Promise<void> => {
      for (let i = 0; i < 100 && (await health())?.Status !== status; i++) await sleep(100);
      assert.equal((await health())?.Status, status);
    };
    await until('healthy');
    await t.engine.pauseContainer(id);
    await until('unhealthy');
    assert.match((await health())?.Log.at(-1)?.Output ?? '', /is paused, unpause the container before exec/);
    await t.engine.unpauseContainer(id);
    await until('healthy');
    await t.engine.removeContainer(id, { force: true });
  });

  test('stats: a memory hog shows its memory, its limit and its processes; CPU from two samples', async () => {
    const id = await started(
      sh("x=$(head -c 50000000 /dev/zero | tr '\\0' a); sleep 60 & echo ready; while :; do :; done"),
      { HostConfig: { Memory: 256 * 1024 * 1024 } },
    );
    for (let i = 0; i < 100 && (await lines(id)) === 0; i++) await sleep(100);
    const [s] = await all(t.engine.containerStats(id, { stream: false }));
    assert.equal(s.id, id);
    assert.match(s.name, /^\/\w+/);
    const used = memoryUsage(s);
    assert.ok(used > 45e6 && used < 200e6, `memory ${used}`);
    assert.equal(s.memory_stats.limit, 256 * 1024 * 1024);
    assert.ok((s.pids_stats.current ?? 0) >= 2, `pids ${s.pids_stats.current}`);
    assert.ok(s.precpu_stats.system_cpu_usage, 'primed: precpu from the sample before');
    assert.ok(s.cpu_stats.cpu_usage.total_usage > s.precpu_stats.cpu_usage.total_usage, 'it burns CPU');
    assert.ok((s.cpu_stats.system_cpu_usage ?? 0) > (s.precpu_stats.system_cpu_usage ?? 0));
    assert.ok((s.cpu_stats.online_cpus ?? 0) >= 1);
    assert.equal(s.networks, undefined, 'network none: no interface but lo');
    assert.ok(Date.parse(s.read) - Date.parse(s.preread) >= 900);

    const [oneShot] = await all(t.engine.containerStats(id, { stream: false, oneShot: true }));
    assert.equal(oneShot.precpu_stats.cpu_usage.total_usage, 0);

    const ac = new AbortController();
    const streamed: ContainerStats[] = [];
    for await (const x of t.engine.containerStats(id, { stream: true }, ac.signal)) {
      streamed.push(x);
      if (streamed.length === 2) ac.abort();
    }
    assert.equal(streamed.length, 2);
    assert.equal(streamed[1].precpu_stats.cpu_usage.total_usage, streamed[0].cpu_stats.cpu_usage.total_usage);

    await t.engine.stopContainer(id, { timeout: 0 });
    const [stopped] = await all(t.engine.containerStats(id, { stream: true }));
    assert.equal(stopped.read, '0001-01-01T00:00:00Z');
    assert.deepEqual(stopped.memory_stats, {});
    await t.engine.removeContainer(id);
    await assert.rejects(async () => all(t.engine.containerStats(id)), /No such container/);
  });

  test('events: create, start, die, destroy in order with their attributes; since replays; filters', async () => {
    const since = Date.now() / 1000;
    const ac = new AbortController();
    const seen: EngineEvent[] = [];
    const watching = (async () => {
      for await (const e of t.engine.events({ filters: { label: ['suite=events'] } }, ac.signal)) {
        seen.push(e);
        if (e.Action === 'destroy') ac.abort();
      }
    })();
    const { Id } = await t.engine.createContainer(
      { Image: 'busybox', Cmd: sh('exit 3'), Labels: { suite: 'events' } },
      'evented',
    );
    await t.engine.startContainer(Id);
    await t.engine.waitContainer(Id);
    await t.engine.removeContainer(Id);
    await watching;
    assert.deepEqual(
      seen.map((e) => e.Action),
      ['create', 'start', 'die', 'destroy'],
    );
    for (const e of seen) {
      assert.equal(e.Type, 'container');
      assert.equal(e.Actor.ID, Id);
      assert.equal(e.Actor.Attributes.name, 'evented');
      assert.equal(e.Actor.Attributes.image, 'busybox');
      assert.equal(e.Actor.Attributes.suite, 'events');
      assert.equal(e.id, Id);
      assert.ok(e.timeNano >= since * 1e9 - 1e6);
    }
    assert.equal(seen[2].Actor.Attributes.exitCode, '3');
    assert.ok(seen.every((e, i) => i === 0 || e.timeNano >= seen[i - 1].timeNano));

    // a little ahead: an event's nanoseconds may be past the millisecond Date.now() says
    const until = Date.now() / 1000 + 0.05;
    const replayed = await all(t.engine.events({ since, until, filters: { container: ['evented'] } }));
    assert.deepEqual(
      replayed.map((e) => e.Action),
      ['create', 'start', 'die', 'destroy'],
    );
    const dies = await all(
      t.engine.events({ since, until, filters: { event: ['die'], container: [Id.slice(0, 8)] } }),
    );
    assert.deepEqual(
      dies.map((e) => e.Action),
      ['die'],
    );
    assert.deepEqual(await all(t.engine.events({ since, until, filters: { type: ['image'] } })), []);
    assert.deepEqual(
      await all(t.engine.events({ since, until, filters: { image: ['busybox'] } })).then((x) => x.length),
      4,
    );
    await assert.rejects(async () => all(t.engine.events({ filters: { colour: ['red'] } })), {
      message: "invalid filter 'colour'",
    });
    await assert.rejects(
      async () => all(t.engine.events({ since: until, until: since })),
      /cannot be after `until`/,
    );
  });

  test('events: pause, unpause and exec events, exec named by its command', async () => {
    const since = Date.now() / 1000;
    const id = await started(['sleep', '60']);
    await t.engine.pauseContainer(id);
    await t.engine.unpauseContainer(id);
    const x = await t.engine.createExec(id, { Cmd: sh('exit 4') });
    await collect(t.engine.startExec(x.Id));
    await t.engine.removeContainer(id, { force: true });
    const events = await all(
      t.engine.events({ since, until: Date.now() / 1000 + 0.05, filters: { container: [id] } }),
    );
    const actions = events.map((e) => e.Action);
    assert.deepEqual(actions.slice(0, 6), [
      'create',
      'start',
      'pause',
      'unpause',
      'exec_create: sh -c exit 4',
      'exec_start: sh -c exit 4',
    ]);
    const died = events.find((e) => e.Action === 'exec_die');
    assert.equal(died?.Actor.Attributes.execID, x.Id);
    assert.equal(died?.Actor.Attributes.exitCode, '4');
    const execs = await all(
      t.engine.events({
        since,
        until: Date.now() / 1000 + 0.05,
        filters: { container: [id], event: ['exec_create'] },
      }),
    );
    assert.equal(execs.length, 1);
  });
});
