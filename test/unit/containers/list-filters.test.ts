import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../../src/common/errors';
import type { ContainerState, HealthState } from '../../../src/engine-api/container/types';
import { containerFilter } from '../../../src/engine/containers/list-filters';
import { initialState, statusText, type ContainerRecord } from '../../../src/engine/containers/record';

const BUSYBOX = `sha256:${'b'.repeat(64)}`;
const ALPINE = `sha256:${'a'.repeat(64)}`;
const STARTED = '2026-01-01T00:00:00Z';
const NOW = Date.parse(STARTED) + 5_000;

function health(Status: HealthState['Status']): HealthState {
  return { Status, FailingStreak: 0, Log: [] };
}

function running(h?: HealthState): ContainerState {
  return { ...initialState(), Status: 'running', Running: true, StartedAt: STARTED, Health: h };
}

function record(name: string, imageId: string, state: ContainerState): ContainerRecord {
  return { id: `${name}${'0'.repeat(60)}`, name, imageId, image: name, config: {}, state } as ContainerRecord;
}

const RECORDS = [
  record('healthy', BUSYBOX, running(health('healthy'))),
  record('sick', BUSYBOX, running(health('unhealthy'))),
  record('booting', ALPINE, running(health('starting'))),
  record('plain', ALPINE, running()),
];

/** The images a fake store knows: by name and by id. */
const images: Record<string, string> = { busybox: BUSYBOX, 'alpine:3': ALPINE, [BUSYBOX]: BUSYBOX };
const names = (filters: Record<string, string[]>): string[] =>
  RECORDS.filter(containerFilter(filters, (ref) => images[ref])).map((r) => r.name);

test('status text shows health as docker does', () => {
  assert.deepEqual(
    RECORDS.map((r) => statusText(r.state, NOW)),
    ['Up 5 seconds (healthy)', 'Up 5 seconds (unhealthy)', 'Up 5 seconds (health: starting)', 'Up 5 seconds'],
  );
});

test('health= matches the health status, none a container without a healthcheck', () => {
  assert.deepEqual(names({ health: ['healthy'] }), ['healthy']);
  assert.deepEqual(names({ health: ['unhealthy', 'starting'] }), ['sick', 'booting']);
  assert.deepEqual(names({ health: ['none'] }), ['plain']);
  assert.throws(
    () => names({ health: ['fine'] }),
    (e: unknown) =>
      e instanceof InvalidArgumentError && e.message === 'Unrecognised filter value for health: fine',
  );
});

test('ancestor= matches containers of the image a reference or id names; an unknown image matches none', () => {
  assert.deepEqual(names({ ancestor: ['busybox'] }), ['healthy', 'sick']);
  assert.deepEqual(names({ ancestor: [BUSYBOX] }), ['healthy', 'sick']);
  assert.deepEqual(names({ ancestor: ['alpine:3', 'nosuch'] }), ['booting', 'plain']);
  assert.deepEqual(names({ ancestor: ['nosuch'] }), []);
  assert.deepEqual(names({ ancestor: ['busybox'], health: ['healthy'] }), ['healthy']);
});

test('an unknown filter key is refused', () => {
  assert.throws(() => names({ colour: ['red'] }), /^InvalidArgumentError: invalid filter 'colour'$/);
});

test('network= matches a network name exactly or a prefix of its id', () => {
  const on: Record<string, { name: string; id: string }[]> = {
    healthy: [{ name: 'front', id: 'f'.repeat(64) }],
    sick: [
      { name: 'front', id: 'f'.repeat(64) },
      { name: 'back', id: `b${'0'.repeat(63)}` },
    ],
    booting: [{ name: 'host', id: '686f7374' }],
  };
  const onNetworks = (filters: Record<string, string[]>): string[] =>
    RECORDS.filter(
      containerFilter(
        filters,
        () => undefined,
        (r) => on[r.name] ?? [],
      ),
    ).map((r) => r.name);
  assert.deepEqual(onNetworks({ network: ['front'] }), ['healthy', 'sick']);
  assert.deepEqual(onNetworks({ network: ['fron'] }), []);
  assert.deepEqual(onNetworks({ network: ['b0'] }), ['sick']);
  assert.deepEqual(onNetworks({ network: ['back', 'host'] }), ['sick', 'booting']);
  assert.deepEqual(onNetworks({ network: ['nosuch'] }), []);
});
