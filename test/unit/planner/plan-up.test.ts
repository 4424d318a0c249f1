/**
 * `up` plans, golden: a compose file loaded by the real loader, the engine's state written by
 * hand, and the plan text `up --dry-run` prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyObserved } from '../../../src/planner/observed';
import { formatPlan } from '../../../src/planner/format-plan';
import { planUp } from '../../../src/planner/plan-up';
import type { UpPlanOptions } from '../../../src/planner/plan-types';
import { container, imageId, loadYaml, upToDate } from '../../helpers/planner';

const STACK = `
name: demo
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
    healthcheck: {test: ["CMD", "true"]}
  web:
    image: nginx
    depends_on:
      db: {condition: service_healthy}
    environment: {MODE: prod}
  cache:
    image: redis
volumes:
  data: {}
`;

const UP: UpPlanOptions = { services: [], start: true, recreate: 'diverged' };

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

test('first up: network and volume, then images, then containers in dependency order with the health wait', () => {
  const project = loadYaml(STACK);
  assert.equal(
    formatPlan(planUp(project, emptyObserved(), UP)),
    lines(
      'create-network demo_default',
      'create-volume demo_data',
      'pull-image nginx',
      'pull-image postgres:16',
      'create-container demo-db-1 (after: create-network demo_default, create-volume demo_data, pull-image postgres:16)',
      'create-container demo-web-1 (after: create-container demo-db-1, create-network demo_default, pull-image nginx)',
      'pull-image redis',
      'create-container demo-cache-1 (after: create-network demo_default, pull-image redis)',
      'start-container demo-cache-1 (after: create-container demo-cache-1)',
      'start-container demo-db-1 (after: create-container demo-db-1)',
      'wait-container demo-db-1 service_healthy (after: start-container demo-db-1)',
      'start-container demo-web-1 (after: create-container demo-web-1, start-container demo-db-1, wait-container demo-db-1:service_healthy)',
    ),
  );
});

test('a no-op re-up plans nothing', () => {
  const project = loadYaml(STACK);
  assert.equal(formatPlan(planUp(project, upToDate(project), UP)), '');
});

test('changed env: only that service is recreated (made beside, old stopped and removed, renamed, started)', () => {
  const before = loadYaml(STACK);
  const project = loadYaml(STACK.replace('MODE: prod', 'MODE: dev'));
  const old = container(before, 'web', 1).id.slice(0, 12);
  assert.equal(
    formatPlan(planUp(project, upToDate(before), UP)),
    lines(
      `create-container ${old}_demo-web-1 [replaces demo-web-1]`,
      `stop-container demo-web-1 (after: create-container ${old}_demo-web-1)`,
      'remove-container demo-web-1 (after: stop-container demo-web-1)',
      `rename-container ${old}_demo-web-1 -> demo-web-1 (after: remove-container demo-web-1)`,
      'wait-container demo-db-1 service_healthy',
      `start-container demo-web-1 (after: rename-container ${old}_demo-web-1, wait-container demo-db-1:service_healthy)`,
    ),
  );
});

test('a new image behind the same reference recreates the services that use it, and not their dependents', () => {
  const project = loadYaml(STACK);
  const observed = upToDate(project);
  observed.images['postgres:16'] = imageId('postgres:16', 'a newer digest');
  const old = container(project, 'db', 1).id.slice(0, 12);
  assert.equal(
    formatPlan(planUp(project, observed, UP)),
    lines(
      `create-container ${old}_demo-db-1 [replaces demo-db-1]`,
      `stop-container demo-db-1 (after: create-container ${old}_demo-db-1)`,
      'remove-container demo-db-1 (after: stop-container demo-db-1)',
      `rename-container ${old}_demo-db-1 -> demo-db-1 (after: remove-container demo-db-1)`,
      `start-container demo-db-1 (after: rename-container ${old}_demo-db-1)`,
    ),
  );
});

test('scale up fills the lowest free numbers; scale down removes the highest first', () => {
  const project = loadYaml(STACK);
  const gap = upToDate(project);
  gap.containers.push(container(project, 'web', 3));
  assert.equal(
    formatPlan(planUp(project, gap, { ...UP, scale: { web: 4 } })),
    lines(
      'create-container demo-web-2',
      'create-container demo-web-4',
      'wait-container demo-db-1 service_healthy',
      'start-container demo-web-2 (after: create-container demo-web-2, wait-container demo-db-1:service_healthy)',
      'start-container demo-web-4 (after: create-container demo-web-4, wait-container demo-db-1:service_healthy)',
    ),
  );
  const three = upToDate(project);
  three.containers.push(container(project, 'web', 2), container(project, 'web', 3, { state: 'exited' }));
  assert.equal(
    formatPlan(planUp(project, three, { ...UP, scale: { web: 1 } })),
    lines(
      'remove-container demo-web-3',
      'stop-container demo-web-2',
      'remove-container demo-web-2 (after: stop-container demo-web-2)',
    ),
  );
  // `deploy.replicas` and `scale:` are the file's own scale; --scale wins over them.
  const replicas = loadYaml(STACK.replace('image: redis', 'image: redis\n    deploy: {replicas: 2}'));
  assert.match(formatPlan(planUp(replicas, upToDate(project), UP)), /^create-container demo-cache-2$/m);
  assert.doesNotMatch(
    formatPlan(planUp(replicas, upToDate(project), { ...UP, scale: { cache: 1 } })),
    /cache/,
  );
});

test('stopped containers that need no recreate are just started, in dependency order', () => {
  const project = loadYaml(STACK);
  const observed = upToDate(project);
  for (const c of observed.containers) c.state = c.service === 'db' ? 'exited' : 'created';
  assert.equal(
    formatPlan(planUp(project, observed, UP)),
    lines(
      'start-container demo-cache-1',
      'start-container demo-db-1',
      'wait-container demo-db-1 service_healthy (after: start-container demo-db-1)',
      'start-container demo-web-1 (after: start-container demo-db-1, wait-container demo-db-1:service_healthy)',
    ),
  );
});

test('a removed service: its container is an orphan, named in a warning or removed with --remove-orphans', () => {
  const before = loadYaml(STACK);
  const project = loadYaml(STACK.replace(/ {2}cache:\n {4}image: redis\n/, ''));
  const observed = upToDate(before);
  // `run`'s one-off containers are never up's business.
  observed.containers.push(
    container(before, 'cache', 1, { name: 'demo-cache-run-1f2e', number: 0, oneoff: true }),
  );
  assert.equal(
    formatPlan(planUp(project, observed, UP)),
    lines(
      'warning: Found orphan containers ([demo-cache-1]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.',
    ),
  );
  assert.equal(
    formatPlan(planUp(project, observed, { ...UP, removeOrphans: true, timeoutSeconds: 2 })),
    lines(
      'stop-container demo-cache-1 [timeout 2s]',
      'remove-container demo-cache-1 (after: stop-container demo-cache-1)',
    ),
  );
});

const CHAIN = `
name: demo
services:
  db:
    image: postgres
    environment: {V: "1"}
  api:
    image: api
    depends_on:
      db: {condition: service_started, restart: true}
  web:
    image: web
    depends_on: [api]
  side:
    image: side
    network_mode: "service:api"
`;

test('restart: true: a recreated dependency stops its dependent first and starts it again after', () => {
  const before = loadYaml(CHAIN);
  const project = loadYaml(CHAIN.replace('V: "1"', 'V: "2"'));
  const db = container(before, 'db', 1).id.slice(0, 12);
  assert.equal(
    formatPlan(planUp(project, upToDate(before), UP)),
    lines(
      `create-container ${db}_demo-db-1 [replaces demo-db-1]`,
      'stop-container demo-api-1',
      `stop-container demo-db-1 (after: create-container ${db}_demo-db-1, stop-container demo-api-1)`,
      'remove-container demo-db-1 (after: stop-container demo-db-1)',
      `rename-container ${db}_demo-db-1 -> demo-db-1 (after: remove-container demo-db-1)`,
      `start-container demo-db-1 (after: rename-container ${db}_demo-db-1)`,
      'start-container demo-api-1 (after: start-container demo-db-1, stop-container demo-api-1)',
    ),
  );
  // Without restart: true the dependent is left running.
  const plain = CHAIN.replace(', restart: true', '');
  assert.doesNotMatch(
    formatPlan(planUp(loadYaml(plain.replace('V: "1"', 'V: "2"')), upToDate(loadYaml(plain)), UP)),
    /api/,
  );
});

test('a network_mode: service: parent recreated recreates the child, made after the parent is renamed', () => {
  const before = loadYaml(CHAIN);
  const project = loadYaml(CHAIN.replace('image: api', 'image: api2'));
  const [api, side] = [container(before, 'api', 1), container(before, 'side', 1)].map((c) =>
    c.id.slice(0, 12),
  );
  assert.equal(
    formatPlan(planUp(project, upToDate(before), UP)),
    lines(
      'pull-image api2',
      `create-container ${api}_demo-api-1 [replaces demo-api-1] (after: pull-image api2)`,
      `stop-container demo-api-1 (after: create-container ${api}_demo-api-1)`,
      'remove-container demo-api-1 (after: stop-container demo-api-1)',
      `rename-container ${api}_demo-api-1 -> demo-api-1 (after: remove-container demo-api-1)`,
      `create-container ${side}_demo-side-1 [replaces demo-side-1] (after: rename-container ${api}_demo-api-1)`,
      `start-container demo-api-1 (after: rename-container ${api}_demo-api-1)`,
      `stop-container demo-side-1 (after: create-container ${side}_demo-side-1)`,
      'remove-container demo-side-1 (after: stop-container demo-side-1)',
      `rename-container ${side}_demo-side-1 -> demo-side-1 (after: remove-container demo-side-1)`,
      `start-container demo-side-1 (after: rename-container ${side}_demo-side-1, start-container demo-api-1)`,
    ),
  );
  // volumes_from is such a parent too; a plain depends_on is not.
  const withVolumes = (image: string): string =>
    CHAIN.replace('image: api', `image: ${image}`).replace(
      'network_mode: "service:api"',
      'volumes_from: [api]',
    );
  const recreated = formatPlan(
    planUp(loadYaml(withVolumes('api2')), upToDate(loadYaml(withVolumes('api'))), UP),
  );
  assert.match(recreated, /^create-container \w{12}_demo-side-1 \[replaces demo-side-1\]/m);
  assert.doesNotMatch(recreated, /web/);
});

test('a missing network attachment or named volume mount recreates; a stopped container is not checked for networks', () => {
  const project = loadYaml(STACK);
  const detached = upToDate(project);
  detached.containers.find((c) => c.service === 'cache')!.networks = [];
  assert.match(
    formatPlan(planUp(project, detached, UP)),
    /^create-container \w{12}_demo-cache-1 \[replaces demo-cache-1\]$/m,
  );
  detached.containers.find((c) => c.service === 'cache')!.state = 'exited';
  assert.equal(formatPlan(planUp(project, detached, UP)), lines('start-container demo-cache-1'));
  const unmounted = upToDate(project);
  unmounted.containers.find((c) => c.service === 'db')!.volumes = ['other_data'];
  assert.match(
    formatPlan(planUp(project, unmounted, UP)),
    /^create-container \w{12}_demo-db-1 \[replaces demo-db-1\]$/m,
  );
});

test('--force-recreate, --no-recreate, --always-recreate-deps, -V, --no-deps', () => {
  const before = loadYaml(CHAIN);
  const changed = loadYaml(CHAIN.replace('V: "1"', 'V: "2"'));
  const observed = upToDate(before);
  const recreated = (plan: string): string[] =>
    [...plan.matchAll(/\[replaces ([\w-]+)/g)].map((m) => m[1]).sort();
  const up = (project: typeof before, o: Partial<UpPlanOptions>): string =>
    formatPlan(planUp(project, observed, { ...UP, ...o }));
  assert.deepEqual(recreated(up(before, { recreate: 'force', services: ['web'] })), ['demo-web-1']);
  assert.deepEqual(
    recreated(up(before, { recreate: 'force', recreateDependencies: 'force', services: ['web'] })),
    ['demo-api-1', 'demo-db-1', 'demo-web-1'],
  );
  assert.equal(up(changed, { recreate: 'never', recreateDependencies: 'never' }), '');
  // The dependency diverged, but --no-deps plans the asked service alone.
  assert.equal(up(changed, { services: ['web'], noDeps: true }), '');
  const renewed = up(before, { services: ['db'], noDeps: true, renewAnonVolumes: true, timeoutSeconds: 3 });
  assert.match(
    renewed,
    /^create-container \w{12}_demo-db-1 \[replaces demo-db-1, renew anonymous volumes\]$/m,
  );
  assert.match(renewed, /^stop-container demo-db-1 \[timeout 3s\]/m);
  assert.match(renewed, /^remove-container demo-db-1 \[with volumes\]/m, 'the old anonymous volumes go');
});

test('depends_on conditions: a wait per container of the dependency; required: false waits without failing', () => {
  const project = loadYaml(`
name: demo
services:
  migrate:
    image: m
  app:
    image: a
    deploy: {replicas: 2}
    depends_on:
      migrate: {condition: service_completed_successfully}
      opt: {condition: service_healthy, required: false}
  opt:
    image: o
    deploy: {replicas: 2}
`);
  const plan = formatPlan(planUp(project, upToDate(project), UP));
  assert.equal(
    plan,
    lines(
      'create-container demo-opt-2',
      'create-container demo-app-2 (after: create-container demo-opt-2)',
      'start-container demo-opt-2 (after: create-container demo-opt-2)',
      'wait-container demo-migrate-1 service_completed_successfully',
      'wait-container demo-opt-1 service_healthy [not required]',
      'wait-container demo-opt-2 service_healthy [not required] (after: start-container demo-opt-2)',
      'start-container demo-app-2 (after: create-container demo-app-2, start-container demo-opt-2, wait-container demo-migrate-1:service_completed_successfully, wait-container demo-opt-1:service_healthy, wait-container demo-opt-2:service_healthy)',
    ),
  );
});

test('images: pull per pull_policy and --pull; a service to build is refused unless its image is there', () => {
  const load = (svc: string) => loadYaml(`name: demo\nservices:\n  a: {${svc}}\n`);
  const pulls = (svc: string, images: Record<string, string>, pull?: UpPlanOptions['pull']): string[] =>
    planUp(load(svc), { ...emptyObserved(), images }, { ...UP, pull })
      .nodes.filter((n) => n.op.kind === 'pull-image')
      .map((n) => n.id);
  const here = { x: 'sha256:1' };
  assert.deepEqual(pulls('image: x', {}), ['pull-image:x']);
  assert.deepEqual(pulls('image: x', here), []);
  assert.deepEqual(pulls('image: x, pull_policy: always', here), ['pull-image:x']);
  assert.deepEqual(pulls('image: x, pull_policy: if_not_present', here), []);
  assert.deepEqual(pulls('image: x', here, 'always'), ['pull-image:x']);
  assert.deepEqual(pulls('image: x, pull_policy: always', here, 'missing'), []);
  assert.deepEqual(pulls('image: x, pull_policy: never', here), []);
  assert.throws(
    () => pulls('image: x, pull_policy: never', {}),
    /^NotFoundError: service "a": image x is not present and pull_policy is never$/,
  );
  assert.throws(() => pulls('image: x', {}, 'never'), /pull_policy is never/);
  assert.throws(
    () => pulls('build: .', {}),
    /^NotImplementedError: service "a" needs its image demo-a built, and building is not supported yet/,
  );
  assert.deepEqual(pulls('build: ., image: x', here), []);
  assert.deepEqual(pulls('build: ., pull_policy: build', { 'demo-a': 'sha256:2' }), []);
  assert.throws(() => pulls('build: ., pull_policy: build', {}), /building is not supported yet/);
});

test('an external network or volume missing is an error naming it; one present is used as it is', () => {
  const project = loadYaml(`
name: demo
services:
  a: {image: x, networks: [n], volumes: ["v:/v"]}
networks:
  n: {external: true, name: shared}
volumes:
  v: {external: true}
`);
  const observed = { ...emptyObserved(), images: { x: 'sha256:1' } };
  assert.throws(
    () => planUp(project, observed, UP),
    /^NotFoundError: network shared declared as external, but could not be found$/,
  );
  observed.networks.push({ id: 'n1', name: 'shared', labels: {} });
  assert.throws(() => planUp(project, observed, UP), /^NotFoundError: external volume "v" not found$/);
  observed.volumes.push({ name: 'v', labels: {} });
  assert.equal(
    formatPlan(planUp(project, observed, UP)),
    lines('create-container demo-a-1', 'start-container demo-a-1 (after: create-container demo-a-1)'),
  );
});

test('container_name names the container and forbids a scale above 1; unknown services are refused', () => {
  const project = loadYaml(
    'name: demo\nservices:\n  a: {image: x, container_name: foo, network_mode: none}\n',
  );
  const observed = { ...emptyObserved(), images: { x: 'sha256:1' } };
  assert.equal(
    formatPlan(planUp(project, observed, UP)),
    lines('create-container foo', 'start-container foo (after: create-container foo)'),
  );
  assert.throws(
    () => planUp(project, observed, { ...UP, scale: { a: 2 } }),
    /container_name "foo" and cannot be scaled to 2/,
  );
  assert.throws(
    () => planUp(project, observed, { ...UP, services: ['b'] }),
    /^NotFoundError: no such service: b$/,
  );
});

test('--no-start makes the containers and starts none', () => {
  const project = loadYaml(STACK);
  const plan = planUp(project, emptyObserved(), { ...UP, start: false });
  assert.deepEqual(
    plan.nodes.filter((n) => n.op.kind.endsWith('-container')).map((n) => n.id),
    ['create-container:demo-db-1', 'create-container:demo-web-1', 'create-container:demo-cache-1'],
  );
});

test('the plan is the same whatever order the engine listed things in', () => {
  const project = loadYaml(STACK);
  const observed = upToDate(project);
  observed.containers.push(container(project, 'web', 3), {
    ...container(project, 'cache', 1),
    service: 'gone',
    name: 'demo-gone-1',
  });
  const reversed = {
    ...observed,
    containers: [...observed.containers].reverse(),
    volumes: [...observed.volumes].reverse(),
  };
  const opts = { ...UP, scale: { web: 2 }, removeOrphans: true };
  assert.equal(formatPlan(planUp(project, reversed, opts)), formatPlan(planUp(project, observed, opts)));
});
