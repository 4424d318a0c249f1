/**
 * `stop` plans, golden: what an attached `up` runs on Ctrl-C or an abort: running containers
 * only, dependents before what they depend on, a selection taking its dependents along.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlan } from '../../../src/planner/format-plan';
import { planStop } from '../../../src/planner/plan-stop';
import { container, loadYaml, upToDate } from '../../helpers/planner';

const project = loadYaml(`
name: demo
services:
  db: {image: postgres}
  web: {image: nginx, depends_on: [db]}
  migrate: {image: busybox}
`);

test('every running container, each service after its dependents, with -t', () => {
  const observed = upToDate(project);
  observed.containers = observed.containers.map((c) =>
    c.service === 'migrate' ? container(project, 'migrate', 1, { state: 'exited', exitCode: 0 }) : c,
  );
  assert.equal(
    formatPlan(planStop(project, observed, { timeoutSeconds: 3 })),
    'stop-container demo-web-1 [timeout 3s]\n' +
      'stop-container demo-db-1 [timeout 3s] (after: stop-container demo-web-1)\n',
  );
});

test('stopping a service stops what depends on it first; nothing running, an empty plan', () => {
  const observed = upToDate(project);
  assert.equal(
    formatPlan(planStop(project, observed, { services: ['db'] })),
    'stop-container demo-web-1\nstop-container demo-db-1 (after: stop-container demo-web-1)\n',
  );
  observed.containers = observed.containers.map((c) => ({ ...c, state: 'exited' as const }));
  assert.equal(formatPlan(planStop(project, observed)), '');
});
