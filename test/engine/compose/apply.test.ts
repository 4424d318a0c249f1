/**
 * The plan executor against a real in-process engine, with hand-written plans: parallel
 * independent nodes, the `after` order, a failure that stops what has not started, the
 * depends_on waits, and Ctrl-C.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerCreateBody } from '../../../src/engine-api/container/types';
import type { Operation, Plan, PlanNode } from '../../../src/planner/plan-types';
import { applyPlan } from '../../../src/compose/apply';
import type { ApplyContext, ApplyProgressEvent, ContainerCreation } from '../../../src/compose/apply-context';
import { useTestEngine } from '../../helpers/engine-suite';

const S = 1_000_000_000; // the API's durations are nanoseconds
const sh = (script: string): string[] => ['sh', '-c', script];

const node = (id: string, op: Operation, after: string[] = []): PlanNode => ({ id, op, after });
const plan = (...nodes: PlanNode[]): Plan => ({ nodes, warnings: [] });
const create = (name: string, after: string[] = []): PlanNode =>
  node(`create:${name}`, { kind: 'create-container', service: name, number: 1, name }, after);
const start = (name: string, after: string[] = []): PlanNode =>
  node(`start:${name}`, { kind: 'start-container', service: name, name }, after);
const wait = (
  name: string,
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully',
  after: string[],
  required = true,
): PlanNode =>
  node(`wait:${name}`, { kind: 'wait-container', service: name, name, condition, required }, after);

describe('applyPlan', () => {
  const suite = useTestEngine();
  const engine = () => suite.t.engine;

  afterEach(async () => {
    for (const c of await engine().listContainers({ all: true }))
      await engine().removeContainer(c.Id, { force: true });
  });

  /** A context whose containers are busybox with `bodies[service]`; every progress event kept. */
  function context(
    bodies: Record<string, Partial<ContainerCreateBody>>,
    extra: Partial<ApplyContext> = {},
  ): ApplyContext & { events: ApplyProgressEvent[] } {
    const events: ApplyProgressEvent[] = [];
    return {
      engine: engine(),
      createBody: (service): ContainerCreation => ({
        body: { Image: 'busybox', Cmd: ['sleep', '1000'], ...bodies[service] },
      }),
      networkBody: (_key, name) => ({ Name: name }),
      volumeBody: (_key, name) => ({ Name: name }),
      progress: { emit: (e) => events.push(e) },
      wait: { intervalMs: 50, timeoutMs: 60_000 },
      events,
      ...extra,
    };
  }

  const exists = (name: string): Promise<boolean> =>
    engine()
      .inspectContainer(name)
      .then(
        () => true,
        () => false,
      );

  test('independent nodes run at once, up to the parallel limit', async () => {
    for (const [limit, expected] of [
      [64, 3],
      [1, 1],
    ]) {
      let inFlight = 0;
      let most = 0;
      const ctx = context({});
      ctx.parallelLimit = limit;
      ctx.createBody = async () => {
        most = Math.max(most, ++inFlight);
        await sleep(300);
        inFlight--;
        return { body: { Image: 'busybox', Cmd: ['true'] } };
      };
      const r = await applyPlan(plan(create('p1'), create('p2'), create('p3')), ctx);
      assert.deepEqual(r.failed, []);
      assert.deepEqual([...r.done].sort(), ['create:p1', 'create:p2', 'create:p3']);
      assert.equal(most, expected, `limit ${limit}`);
      for (const n of ['p1', 'p2', 'p3']) assert.ok(await exists(n), n);
      for (const n of ['p1', 'p2', 'p3']) await engine().removeContainer(n, { force: true });
    }
  });

  test('a node runs only once every node it comes after is done', async () => {
    const seen: string[] = [];
    const ctx = context({});
    ctx.createBody = async (service) => {
      // second comes after first's start: first must be running by the time b is made.
      if (service === 'second') seen.push((await engine().inspectContainer('first')).State.Status);
      return { body: { Image: 'busybox', Cmd: ['sleep', '1000'] } };
    };
    const r = await applyPlan(
      plan(
        create('first'),
        start('first', ['create:first']),
        create('second', ['start:first']),
        start('second', ['create:second']),
      ),
      ctx,
    );
    assert.deepEqual(r.failed, []);
    assert.deepEqual(r.done, ['create:first', 'start:first', 'create:second', 'start:second']);
    assert.deepEqual(seen, ['running']);
    assert.equal((await engine().inspectContainer('second')).State.Status, 'running');
    // docker compose's lines, each resource from working to done.
    const first = ctx.events
      .filter((e) => e.id === 'Container first')
      .map((e) => `${e.status}${e.done ? '.' : ''}`);
    assert.deepEqual(first, ['Creating', 'Created.', 'Starting', 'Started.']);
  });

  test('a failure lets running nodes finish, starts nothing new, and says what was done', async () => {
    const ctx = context({});
    ctx.createBody = async (service) => {
      if (service === 'slow') await sleep(500);
      return { body: { Image: 'busybox', Cmd: ['true'] } };
    };
    const r = await applyPlan(
      plan(
        create('slow'),
        start('missing'),
        create('after-slow', ['create:slow']),
        create('after-missing', ['start:missing']),
      ),
      ctx,
    );
    assert.deepEqual(r.done, ['create:slow']);
    assert.deepEqual(
      r.failed.map((f) => f.id),
      ['start:missing'],
    );
    assert.match(r.failed[0].error.message, /missing/);
    assert.deepEqual(r.skipped, ['create:after-slow', 'create:after-missing']);
    assert.equal(r.interrupted, false);
    assert.ok(await exists('slow'));
    assert.equal(await exists('after-slow'), false);
    assert.equal(await exists('after-missing'), false);
    const err = ctx.events.find((e) => e.error);
    assert.deepEqual(err && [err.id, err.status, err.done], ['Container missing', 'Error', true]);
  });

  test('wait-container: healthy, completed, started, then the node after it runs', async () => {
    const ctx = context({
      web: {
        Cmd: ['sleep', '1000'],
        Healthcheck: {
          Test: ['CMD-SHELL', 'test -e /tmp/up || touch /tmp/up'],
          Interval: 0.2 * S,
          Retries: 3,
        },
      },
      job: { Cmd: sh('sleep 0.5; exit 0') },
      svc: { Cmd: ['sleep', '1000'] },
      app: { Cmd: ['sleep', '1000'] },
    });
    const r = await applyPlan(
      plan(
        create('web'),
        create('job'),
        create('svc'),
        start('web', ['create:web']),
        start('job', ['create:job']),
        start('svc', ['create:svc']),
        wait('web', 'service_healthy', ['start:web']),
        node(
          'wait:job',
          {
            kind: 'wait-container',
            service: 'job',
            name: 'job',
            condition: 'service_completed_successfully',
            required: true,
          },
          ['start:job'],
        ),
        node(
          'wait:svc',
          {
            kind: 'wait-container',
            service: 'svc',
            name: 'svc',
            condition: 'service_started',
            required: true,
          },
          ['start:svc'],
        ),
        create('app', ['wait:job', 'wait:svc', 'wait:web']),
      ),
      ctx,
    );
    assert.deepEqual(r.failed, []);
    assert.ok(r.done.includes('create:app'));
    assert.equal((await engine().inspectContainer('web')).State.Health?.Status, 'healthy');
    assert.equal((await engine().inspectContainer('job')).State.ExitCode, 0);
    const last = (id: string): string | undefined => ctx.events.filter((e) => e.id === id).at(-1)?.status;
    const waits = ctx.events
      .filter((e) => e.status === 'Waiting')
      .map((e) => e.id)
      .sort();
    assert.deepEqual(waits, ['Container job', 'Container svc', 'Container web']);
    assert.equal(last('Container web'), 'Healthy');
    assert.equal(last('Container job'), 'Exited');
    assert.equal(last('Container svc'), 'Running');
  });

  test('wait-container fails on a nonzero exit, an unhealthy container or no healthcheck; required: false only warns', async () => {
    const ctx = context({
      bad: { Cmd: sh('exit 3') },
      sick: {
        Cmd: ['sleep', '1000'],
        Healthcheck: { Test: ['CMD', 'false'], Interval: 0.1 * S, Retries: 1 },
      },
      plain: { Cmd: ['sleep', '1000'] },
      after: { Cmd: ['true'] },
    });
    const cases: [string, Partial<ApplyContext>['wait'], Operation & { kind: 'wait-container' }, RegExp][] = [
      [
        'bad',
        undefined,
        {
          kind: 'wait-container',
          service: 'bad',
          name: 'bad',
          condition: 'service_completed_successfully',
          required: true,
        },
        /container bad didn't complete successfully: exit 3/,
      ],
      [
        'sick',
        undefined,
        {
          kind: 'wait-container',
          service: 'sick',
          name: 'sick',
          condition: 'service_healthy',
          required: true,
        },
        /container sick is unhealthy/,
      ],
      [
        'plain',
        undefined,
        {
          kind: 'wait-container',
          service: 'plain',
          name: 'plain',
          condition: 'service_healthy',
          required: true,
        },
        /container plain has no healthcheck configured/,
      ],
      [
        'plain',
        { intervalMs: 50, timeoutMs: 300 },
        {
          kind: 'wait-container',
          service: 'plain',
          name: 'plain',
          condition: 'service_completed_successfully',
          required: true,
        },
        /container plain did not complete within 0.3 s/,
      ],
    ];
    for (const [name, waitOpts, op, message] of cases) {
      for (const required of [true, false]) {
        const c = { ...ctx, wait: waitOpts ?? ctx.wait };
        const r = await applyPlan(
          plan(
            create(name),
            start(name, [`create:${name}`]),
            node('wait', { ...op, required }, [`start:${name}`]),
            create('after', ['wait']),
          ),
          c,
        );
        if (required) {
          assert.deepEqual(
            r.failed.map((f) => f.id),
            ['wait'],
            `${name}: ${message}`,
          );
          assert.match(r.failed[0].error.message, message);
          assert.deepEqual(r.skipped, ['create:after']);
          assert.equal(await exists('after'), false);
        } else {
          assert.deepEqual(r.failed, [], `${name} not required`);
          assert.equal(r.warnings.length, 1);
          assert.match(r.warnings[0], message);
          assert.ok(r.done.includes('create:after'));
        }
        for (const n of [name, 'after'])
          await engine()
            .removeContainer(n, { force: true })
            .catch(() => undefined);
      }
    }
  });

  test('an abort ends a wait at once and starts nothing new; the running nodes finish', async () => {
    const controller = new AbortController();
    const ctx = context(
      { long: { Cmd: ['sleep', '1000'] }, next: { Cmd: ['true'] } },
      { signal: controller.signal },
    );
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 1000);
    const r = await applyPlan(
      plan(
        create('long'),
        start('long', ['create:long']),
        wait('long', 'service_completed_successfully', ['start:long']),
        create('next', ['wait:long']),
      ),
      ctx,
    );
    assert.ok(Date.now() - t0 < 30_000, 'the wait ended with the abort');
    assert.deepEqual(r.done, ['create:long', 'start:long']);
    assert.deepEqual(
      r.failed.map((f) => f.id),
      ['wait:long'],
    );
    assert.match(r.failed[0].error.message, /interrupted/);
    assert.deepEqual(r.skipped, ['create:next']);
    assert.equal(r.interrupted, true);

    // Aborted before it begins: no call at all.
    const r2 = await applyPlan(plan(create('never')), { ...ctx, signal: AbortSignal.abort() });
    assert.deepEqual(r2, {
      done: [],
      failed: [],
      skipped: ['create:never'],
      warnings: [],
      interrupted: true,
    });
    assert.equal(await exists('never'), false);
  });

  test('stop, remove, and a rename of a container that is gone', async () => {
    const ctx = context({ old: { Cmd: ['sleep', '1000'] } });
    const r = await applyPlan(
      plan(
        create('old'),
        start('old', ['create:old']),
        node('stop', { kind: 'stop-container', service: 'old', name: 'old', timeoutSeconds: 0 }, [
          'start:old',
        ]),
        node('rm', { kind: 'remove-container', service: 'old', name: 'old' }, ['stop']),
        node('rm-again', { kind: 'remove-container', service: 'old', name: 'old' }, ['rm']),
        node('rename', { kind: 'rename-container', service: 'old', from: 'x', to: 'y' }, ['rm-again']),
      ),
      ctx,
    );
    assert.deepEqual(r.done, ['create:old', 'start:old', 'stop', 'rm', 'rm-again']);
    assert.equal(await exists('old'), false);
    assert.deepEqual(
      r.failed.map((f) => f.id),
      ['rename'],
    );
    assert.match(r.failed[0].error.message, /No such container: x/i);
  });

  test('a plan out of order is refused before any call', async () => {
    const ctx = context({});
    await assert.rejects(
      applyPlan(plan(create('z', ['create:y']), create('y')), ctx),
      /comes after create:y/,
    );
    assert.equal(await exists('z'), false);
  });
});
