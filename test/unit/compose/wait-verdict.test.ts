/** `up --wait`'s verdict on one container: ready, still waiting, or failed with docker compose's words. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verdict } from '../../../src/compose/wait';
import type { ContainerInspect } from '../../../src/engine-api/container/types';

function c(
  state: Record<string, unknown>,
  opts: { health?: boolean; restart?: string } = {},
): ContainerInspect {
  return {
    Name: '/demo-web-1',
    State: { Status: 'running', ExitCode: 0, ...state },
    Config: opts.health ? { Healthcheck: { Test: ['CMD', 'true'] } } : {},
    HostConfig: { RestartPolicy: { Name: opts.restart ?? 'no' } },
  } as unknown as ContainerInspect;
}

test('running without a healthcheck is ready; with one, only once healthy', () => {
  assert.equal(verdict(c({}), false), 'ready');
  assert.equal(verdict(c({ Health: { Status: 'starting' } }, { health: true }), false), 'waiting');
  assert.equal(verdict(c({ Health: { Status: 'healthy' } }, { health: true }), false), 'ready');
  assert.deepEqual(verdict(c({ Health: { Status: 'unhealthy' } }, { health: true }), false), {
    failed: 'container demo-web-1 is unhealthy',
  });
});

test('a one-shot is ready once exited 0, failed on another code, waiting while it runs', () => {
  assert.equal(verdict(c({}), true), 'waiting');
  assert.equal(verdict(c({ Status: 'exited', ExitCode: 0 }, { restart: 'always' }), true), 'ready');
  assert.deepEqual(verdict(c({ Status: 'exited', ExitCode: 3 }), true), {
    failed: 'container demo-web-1 exited (3)',
  });
});

test('exited 0 without a restart policy is ready; with one, or with a failure, it broke; restarting waits', () => {
  assert.equal(verdict(c({ Status: 'exited', ExitCode: 0 }), false), 'ready');
  assert.deepEqual(verdict(c({ Status: 'exited', ExitCode: 0 }, { restart: 'always' }), false), {
    failed: 'container demo-web-1 exited (0)',
  });
  assert.deepEqual(verdict(c({ Status: 'exited', ExitCode: 1 }), false), {
    failed: 'container demo-web-1 exited (1)',
  });
  assert.equal(verdict(c({ Status: 'restarting' }, { restart: 'always' }), false), 'waiting');
  assert.equal(verdict(c({ Status: 'created' }), false), 'waiting');
});
