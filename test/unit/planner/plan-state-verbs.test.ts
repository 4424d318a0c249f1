/**
 * The state verbs' plans, golden: start goes dependencies first and waits for their conditions;
 * restart takes the `restart: true` dependents along (not with --no-deps); rm -s stops the named
 * services alone before removing; kill takes one-offs and, with --remove-orphans, orphans; pause
 * and unpause only what they can change; and the same orders from the labels alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlan } from '../../../src/planner/format-plan';
import { planKill, planPause, planRemove, planUnpause } from '../../../src/planner/plan-container-verbs';
import { planRestart, planStart } from '../../../src/planner/plan-start';
import { serviceView } from '../../../src/planner/service-view';
import { container, loadYaml, upToDate } from '../../helpers/planner';

const project = loadYaml(`
name: demo
services:
  db:
    image: postgres
    healthcheck: {test: ["CMD", "true"]}
  cache: {image: redis}
  web:
    image: nginx
    depends_on:
      db: {condition: service_healthy, restart: true}
      cache: {condition: service_started}
  tool: {image: busybox, profiles: [tools]}
`);

const exited = (c: ReturnType<typeof container>) => ({ ...c, state: 'exited' as const, exitCode: 0 });

test('start: the stopped containers, dependencies first, after the waits for their conditions', () => {
  const observed = upToDate(project);
  observed.containers = observed.containers.map(exited);
  const view = serviceView(project, observed.containers);
  assert.equal(
    formatPlan(planStart(view, observed)),
    'start-container demo-cache-1\n' +
      'start-container demo-db-1\n' +
      'wait-container demo-db-1 service_healthy (after: start-container demo-db-1)\n' +
      'start-container demo-web-1 (after: start-container demo-cache-1, start-container demo-db-1, wait-container demo-db-1:service_healthy)\n',
  );
  // web alone: what it needs is started with it; a running dependency is only waited for.
  observed.containers = observed.containers.map((c) => (c.service === 'db' ? { ...c, state: 'running' } : c));
  assert.equal(
    formatPlan(planStart(view, observed, { services: ['web'] })),
    'start-container demo-cache-1\n' +
      'wait-container demo-db-1 service_healthy\n' +
      'start-container demo-web-1 (after: start-container demo-cache-1, wait-container demo-db-1:service_healthy)\n',
  );
  // The same from the labels alone.
  assert.equal(
    formatPlan(planStart(serviceView(undefined, observed.containers), observed, { services: ['web'] })),
    formatPlan(planStart(view, observed, { services: ['web'] })),
  );
});

test('start: a service without any container is an error, as docker compose says it, unless scaled to 0', () => {
  const observed = upToDate(project);
  observed.containers = observed.containers.filter((c) => c.service !== 'cache');
  assert.throws(() => planStart(serviceView(project, observed.containers), observed), {
    code: 'NO_CONTAINER',
    message: 'service "cache" has no container to start',
  });
  const idle = loadYaml('name: demo\nservices:\n  a: {image: busybox}\n  b: {image: busybox, scale: 0}\n');
  const some = upToDate(idle);
  some.containers = some.containers.filter((c) => c.service === 'a');
  assert.equal(formatPlan(planStart(serviceView(idle, some.containers), some)), '');
});

test('restart: restart: true dependents along, stopped ones too, -t; --no-deps the named alone', () => {
  const observed = upToDate(project);
  observed.containers = observed.containers.map((c) => (c.service === 'web' ? exited(c) : c));
  const view = serviceView(project, observed.containers);
  assert.equal(
    formatPlan(planRestart(view, observed, { services: ['db'], timeoutSeconds: 2 })),
    'restart-container demo-db-1 [timeout 2s]\n' +
      'wait-container demo-db-1 service_healthy (after: restart-container demo-db-1)\n' +
      'restart-container demo-web-1 [timeout 2s] (after: restart-container demo-db-1, wait-container demo-db-1:service_healthy)\n',
  );
  assert.equal(
    formatPlan(planRestart(view, observed, { services: ['db'], noDeps: true })),
    'restart-container demo-db-1\n',
  );
  // cache is no `restart: true` dependency: restarting it restarts it alone.
  assert.equal(
    formatPlan(planRestart(view, observed, { services: ['cache'] })),
    'restart-container demo-cache-1\n',
  );
});

test('rm: the stopped ones; -s stops the named services alone first; -v', () => {
  const observed = upToDate(project);
  observed.containers = observed.containers.map((c) => (c.service === 'cache' ? exited(c) : c));
  const view = serviceView(project, observed.containers);
  assert.equal(
    formatPlan(planRemove(view, observed, { volumes: true })),
    'remove-container demo-cache-1 [with volumes]\n',
  );
  assert.equal(
    formatPlan(planRemove(view, observed, { services: ['db'], stop: true })),
    'stop-container demo-db-1\nremove-container demo-db-1 (after: stop-container demo-db-1)\n',
  );
  assert.equal(formatPlan(planRemove(view, observed, { services: ['db'] })), '');
});

test('kill: running ones, one-offs too, orphans with --remove-orphans; pause and unpause', () => {
  const observed = upToDate(project);
  const oneoff = { ...container(project, 'web', 1), name: 'demo-web-run-1a2b', number: 0, oneoff: true };
  const orphan = { ...container(project, 'cache', 1), name: 'demo-old-1', service: 'old' };
  observed.containers = [
    ...observed.containers.map((c) => (c.service === 'cache' ? exited(c) : c)),
    oneoff,
    orphan,
  ];
  const view = serviceView(project, observed.containers);
  assert.equal(
    formatPlan(planKill(view, observed, { signal: 'SIGHUP' })),
    'kill-container demo-db-1 [SIGHUP]\nkill-container demo-web-1 [SIGHUP]\nkill-container demo-web-run-1a2b [SIGHUP]\n',
  );
  assert.match(
    formatPlan(planKill(view, observed, { signal: 'SIGKILL', removeOrphans: true })),
    /kill-container demo-old-1/,
  );
  observed.containers = observed.containers.map((c) => (c.service === 'db' ? { ...c, state: 'paused' } : c));
  assert.equal(formatPlan(planPause(view, observed)), 'pause-container demo-web-1\n');
  assert.equal(
    formatPlan(planUnpause(view, observed, { services: ['db', 'web'] })),
    'unpause-container demo-db-1\n',
  );
});

test('the view from labels: depends_on conditions and restart read back; a cycle orders nothing', () => {
  const observed = upToDate(project);
  const view = serviceView(undefined, observed.containers);
  assert.deepEqual(view.defaults, ['cache', 'db', 'web']);
  assert.deepEqual(view.dependsOn('web'), {
    cache: { condition: 'service_started', restart: false, required: true },
    db: { condition: 'service_healthy', restart: true, required: true },
  });
  const a = {
    ...container(project, 'cache', 1),
    service: 'a',
    labels: { 'com.docker.compose.depends_on': 'b:service_started:false' },
  };
  const b = {
    ...container(project, 'cache', 1),
    service: 'b',
    labels: { 'com.docker.compose.depends_on': 'a:service_started:false' },
  };
  assert.deepEqual(serviceView(undefined, [a, b]).graph.dependencies('a'), []);
});
