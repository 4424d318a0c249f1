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
