/** The dependency graph: what each kind of reference adds, selections, start order and cycle paths. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ComposeError } from '../../../src/common/errors';
import {
  DependencyCycleError,
  DependencyGraph,
  dependenciesOf,
  projectGraph,
} from '../../../src/compose-model/graph';
import { loadProject } from '../../../src/compose-model/loader';
import { tmpProject } from '../../helpers/project';

test('dependencies: depends_on, links, volumes_from and service: namespaces, with where each is written', () => {
  const deps = dependenciesOf({
    depends_on: { db: { condition: 'service_healthy' }, cache: { required: false } },
    links: ['auth:login'],
    volumes_from: ['data:ro', 'container:other'],
    network_mode: 'service:vpn',
    ipc: 'service:shm',
    pid: 'host',
  });
  assert.deepEqual(deps, [
    { service: 'db', path: ['depends_on', 'db'], required: true },
    { service: 'cache', path: ['depends_on', 'cache'], required: false },
    { service: 'vpn', path: ['network_mode'], required: true },
    { service: 'shm', path: ['ipc'], required: true },
    { service: 'auth', path: ['links', 0], required: true },
    { service: 'data', path: ['volumes_from', 0], required: true },
  ]);
  assert.deepEqual(
    dependenciesOf({ depends_on: ['a', 'b'] }).map((d) => d.path),
    [
      ['depends_on', 0],
      ['depends_on', 1],
    ],
  );
});

const SERVICES = {
  web: { depends_on: { api: {} }, links: ['cache'] },
  api: { depends_on: { db: {}, missing: { required: false } }, volumes_from: ['data'] },
  db: {},
  data: {},
  cache: { network_mode: 'service:db' },
  tool: {},
};

test('queries: direct edges inside the project, selections with dependencies or dependents', () => {
  const g = new DependencyGraph(SERVICES);
  assert.deepEqual(g.services, ['api', 'cache', 'data', 'db', 'tool', 'web']);
  assert.deepEqual(g.dependencies('web'), ['api', 'cache']);
  assert.deepEqual(g.dependencies('api'), ['data', 'db'], 'a missing optional dependency is no edge');
  assert.deepEqual(g.dependents('db'), ['api', 'cache']);
  assert.deepEqual(g.withDependencies(['web']), ['api', 'cache', 'data', 'db', 'web']);
  assert.deepEqual(g.withDependencies(['tool']), ['tool']);
  assert.deepEqual(g.withDependents(['db']), ['api', 'cache', 'db', 'web']);
  assert.equal(g.findCycle(), undefined);
});

test('order: every service after what it needs, deterministic, for all or a selection', () => {
  const g = new DependencyGraph(SERVICES);
  const all = g.order();
  assert.deepEqual(all, ['data', 'db', 'api', 'cache', 'tool', 'web']);
  for (const n of all)
    for (const d of g.dependencies(n)) assert.ok(all.indexOf(d) < all.indexOf(n), `${d} before ${n}`);
  assert.deepEqual(g.order(['web', 'cache', 'db']), ['db', 'cache', 'web']);
  assert.deepEqual(new DependencyGraph({ c: {}, b: {}, a: {} }).order(), ['a', 'b', 'c']);
});

test('cycles are named by their path and the edge that closes them, whatever reference makes them', () => {
  const cases: [Record<string, unknown>, string[], string, (string | number)[]][] = [
    [{ a: { depends_on: { a: {} } } }, ['a', 'a'], 'a', ['depends_on', 'a']],
    [
      { a: { depends_on: { b: {} } }, b: { depends_on: { a: {} } } },
      ['a', 'b', 'a'],
      'b',
      ['depends_on', 'a'],
    ],
    [
      { a: { links: ['b:x'] }, b: { volumes_from: ['c'] }, c: { network_mode: 'service:a' }, d: {} },
      ['a', 'b', 'c', 'a'],
      'c',
      ['network_mode'],
    ],
    [
      { x: { depends_on: { y: {} } }, y: { links: ['z'] }, z: { depends_on: ['y'] } },
      ['y', 'z', 'y'],
      'z',
      ['depends_on', 0],
    ],
  ];
  for (const [services, cycle, from, where] of cases) {
    const g = new DependencyGraph(services);
    const found = g.findCycle();
    assert.ok(found instanceof DependencyCycleError);
    assert.deepEqual(found.cycle, cycle);
    assert.equal(found.message, `dependency cycle detected: ${cycle.join(' -> ')}`);
    assert.equal(found.edge.from, from);
    assert.deepEqual(found.edge.dependency.path, where);
    assert.throws(() => g.order(), DependencyCycleError);
  }
});

test('the loader refuses a cycle made by links at the link that closes it', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml':
      'services:\n  a:\n    image: x\n    links: [b]\n  b:\n    image: x\n    links:\n      - a:alias\n',
  });
  assert.throws(
    () => loadProject({ workingDir: dir, environment: {} }),
    (err: unknown) =>
      err instanceof ComposeError &&
      err.message === `${path.join(dir, 'compose.yaml')}:8:9: dependency cycle detected: a -> b -> a`,
  );
});

test("a typed project's graph: normalization's implicit dependencies and the typed fields agree", (t) => {
  const dir = tmpProject(t, {
    'compose.yaml': [
      'services:',
      '  web: {image: x, links: [api], network_mode: "service:vpn"}',
      '  api: {image: x, volumes_from: [data], depends_on: {db: {condition: service_healthy}}}',
      '  db: {image: x}',
      '  data: {image: x}',
      '  vpn: {image: x}',
      '',
    ].join('\n'),
  });
  const p = loadProject({ workingDir: dir, environment: {} });
  const g = projectGraph(p.services);
  assert.deepEqual(g.dependencies('web'), ['api', 'vpn']);
  assert.deepEqual(g.dependencies('api'), ['data', 'db']);
  assert.deepEqual(g.order(), ['data', 'db', 'api', 'vpn', 'web']);
  assert.deepEqual(g.order(), new DependencyGraph(p.model.services as Record<string, unknown>).order());
});
