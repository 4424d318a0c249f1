/**
 * `down` plans, golden: dependents first, then what they depend on, then the networks the project
 * made, its volumes with -v and its images with --rmi, from the files or from the labels alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyObserved } from '../../../src/planner/observed';
import { formatPlan } from '../../../src/planner/format-plan';
import { planDown } from '../../../src/planner/plan-down';
import { container, loadYaml, upToDate } from '../../helpers/planner';

const STACK = `
name: demo
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
  web:
    image: nginx
    depends_on: [db]
  worker:
    build: .
    depends_on: [web]
  cache:
    image: redis
networks:
  outside: {external: true}
volumes:
  data: {}
  unused: {}
`;

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const ALL =
  'remove-container demo-cache-1, remove-container demo-db-1, remove-container demo-web-1, remove-container demo-worker-1';

/** The engine after up, plus what must never be removed: a network and a volume of another project. */
function engine(): ReturnType<typeof upToDate> {
  const observed = upToDate(loadYaml(STACK));
  observed.networks.push(
    { id: 'o', name: 'outside', labels: {} },
    { id: 'x', name: 'other_default', labels: { 'com.docker.compose.project': 'other' } },
  );
  observed.volumes.push({ name: 'other_data', labels: { 'com.docker.compose.project': 'other' } });
  observed.images.busybox = 'sha256:b';
  return observed;
}

test('down: dependents stopped before what they depend on, then the project network; volumes kept', () => {
  const project = loadYaml(STACK);
  const observed = engine();
  observed.containers.find((c) => c.service === 'web')!.state = 'exited';
  assert.equal(
    formatPlan(planDown('demo', project, observed, {})),
    lines(
      'stop-container demo-cache-1',
      'remove-container demo-cache-1 (after: stop-container demo-cache-1)',
      'stop-container demo-worker-1',
      'remove-container demo-worker-1 (after: stop-container demo-worker-1)',
      'remove-container demo-web-1 (after: remove-container demo-worker-1)',
      'stop-container demo-db-1 (after: remove-container demo-web-1)',
      'remove-container demo-db-1 (after: stop-container demo-db-1)',
      `remove-network demo_default (after: ${ALL})`,
    ),
  );
});

test('down -v --rmi local: anonymous volumes with the containers, the named volumes, the images without a custom tag', () => {
  const project = loadYaml(STACK);
  const plan = formatPlan(
    planDown('demo', project, engine(), { volumes: true, images: 'local', timeoutSeconds: 0 }),
  );
  assert.equal(
    plan,
    lines(
      'stop-container demo-cache-1 [timeout 0s]',
      'remove-container demo-cache-1 [with volumes] (after: stop-container demo-cache-1)',
      'stop-container demo-worker-1 [timeout 0s]',
      'remove-container demo-worker-1 [with volumes] (after: stop-container demo-worker-1)',
      'stop-container demo-web-1 [timeout 0s] (after: remove-container demo-worker-1)',
      'remove-container demo-web-1 [with volumes] (after: stop-container demo-web-1)',
      'stop-container demo-db-1 [timeout 0s] (after: remove-container demo-web-1)',
      'remove-container demo-db-1 [with volumes] (after: stop-container demo-db-1)',
      `remove-image demo-worker (after: ${ALL})`,
      `remove-network demo_default (after: ${ALL})`,
      `remove-volume demo_data (after: ${ALL})`,
      `remove-volume demo_unused (after: ${ALL})`,
    ),
  );
  assert.match(
    formatPlan(planDown('demo', project, engine(), { images: 'all' })),
    /remove-image demo-worker .*\nremove-image nginx .*\nremove-image postgres:16 .*\nremove-image redis /,
  );
});

test('down with no project files: services, order and resources from the labels alone', () => {
  const plan = planDown('demo', undefined, engine(), { volumes: true, images: 'local' });
  assert.equal(
    formatPlan(plan),
    lines(
      'stop-container demo-cache-1',
      'remove-container demo-cache-1 [with volumes] (after: stop-container demo-cache-1)',
      'stop-container demo-worker-1',
      'remove-container demo-worker-1 [with volumes] (after: stop-container demo-worker-1)',
      'stop-container demo-web-1 (after: remove-container demo-worker-1)',
      'remove-container demo-web-1 [with volumes] (after: stop-container demo-web-1)',
      'stop-container demo-db-1 (after: remove-container demo-web-1)',
      'remove-container demo-db-1 [with volumes] (after: stop-container demo-db-1)',
      `remove-image demo-worker (after: ${ALL})`,
      `remove-network demo_default (after: ${ALL})`,
      `remove-volume demo_data (after: ${ALL})`,
      `remove-volume demo_unused (after: ${ALL})`,
    ),
  );
  assert.equal(
    formatPlan(planDown('demo', undefined, emptyObserved(), {})),
    lines('warning: No resource found to remove for project "demo".'),
  );
});

test('down: orphans and one-off containers only with --remove-orphans', () => {
  const project = loadYaml(STACK);
  const observed = engine();
  const db = container(project, 'db', 1);
  observed.containers.push(
    { ...db, id: 'o1', name: 'demo-old-1', service: 'old' },
    { ...db, id: 'r1', name: 'demo-db-run-3c4d', number: 0, oneoff: true, state: 'exited' },
  );
  const kept = formatPlan(planDown('demo', project, observed, {}));
  assert.doesNotMatch(kept, /demo-old-1 |demo-db-run/);
  assert.match(kept, /^warning: Found orphan containers \(\[demo-old-1\]\) for this project/m);
  const removed = formatPlan(planDown('demo', project, observed, { removeOrphans: true }));
  assert.match(
    removed,
    /^stop-container demo-old-1\nremove-container demo-old-1 \(after: stop-container demo-old-1\)$/m,
  );
  assert.match(removed, /^remove-container demo-db-run-3c4d \(after: remove-container demo-web-1\)$/m);
  assert.match(removed, /^remove-network demo_default \(after: .*remove-container demo-old-1/m);
});

test('labels written by someone else cannot make down fail: a dependency cycle in them orders nothing', () => {
  const observed = engine();
  for (const c of observed.containers)
    c.labels['com.docker.compose.depends_on'] =
      c.service === 'db' ? 'worker:service_started:false' : 'db:service_started:false,:,';
  const plan = planDown('demo', undefined, observed, {});
  assert.equal(plan.nodes.filter((n) => n.op.kind === 'remove-container').length, 4);
});
