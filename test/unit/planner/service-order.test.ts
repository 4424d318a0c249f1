/** Start and stop orders of a selection of services, from the compose model's graph. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyGraph } from '../../../src/compose-model/graph';
import { startOrder, stopOrder } from '../../../src/planner/service-order';

const graph = new DependencyGraph({
  web: { depends_on: { api: {} } },
  api: { links: ['db'] },
  db: {},
  worker: { network_mode: 'service:db' },
  lone: {},
});

test('up of a selection starts what it needs first; stop also stops what needs it, first', () => {
  assert.deepEqual(startOrder(graph, ['web']), ['db', 'api', 'web']);
  assert.deepEqual(startOrder(graph, ['worker', 'lone']), ['db', 'lone', 'worker']);
  assert.deepEqual(stopOrder(graph, ['db']), ['worker', 'web', 'api', 'db']);
  assert.deepEqual(stopOrder(graph, ['web']), ['web']);
  assert.deepEqual(startOrder(graph), ['db', 'api', 'lone', 'web', 'worker']);
});
