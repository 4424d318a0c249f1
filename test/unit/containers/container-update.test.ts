import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConflictError, InvalidArgumentError } from '../../../src/common/errors';
import type { ContainerState } from '../../../src/engine-api/container/types';
import { updatedHostConfig } from '../../../src/engine/containers/container-update';
import { filtersImplyAll, containerFilter } from '../../../src/engine/containers/list-filters';
import { pruneFilter } from '../../../src/engine/containers/prune-filter';
import { initialState, type ContainerRecord } from '../../../src/engine/containers/record';
import { checkUpdateBody } from '../../../src/engine/server/update-body';
import { updateBody } from '../../../src/cli/container/update';

const ID = 'c'.repeat(64);

test('update: zero leaves a value, --cpus and a quota never mix, memory under a set swap, AutoRemove keeps its policy', () => {
  const { hostConfig, limits, live } = updatedHostConfig(
    ID,
    { Memory: 128 << 20, CpuShares: 512 },
    { NanoCpus: 5e8, Memory: 0, PidsLimit: 20, RestartPolicy: { Name: 'always' } },
  );
  assert.deepEqual(hostConfig, {
    Memory: 128 << 20,
    CpuShares: 512,
    NanoCpus: 5e8,
    PidsLimit: 20,
    RestartPolicy: { Name: 'always' },
  });
  assert.equal(limits.cpuQuotaUs, 50_000);
  assert.equal(limits.pidsLimit, 20);
  assert.equal(live?.memoryBytes, 128 << 20);
  // a policy alone writes nothing into the cgroup
  assert.equal(updatedHostConfig(ID, {}, { RestartPolicy: { Name: 'no' } }).live, undefined);
  // no limit any more: pids.max goes back to max
  assert.equal(updatedHostConfig(ID, { PidsLimit: 20 }, { PidsLimit: -1 }).live?.pidsLimit, 0);

  const refused = (hc: object, body: object, message: RegExp): void =>
    assert.throws(
      () => updatedHostConfig(ID, hc, body),
      (err: unknown) => err instanceof ConflictError && message.test(err.message),
    );
  refused(
    { NanoCpus: 1e9 },
    { CpuQuota: 20_000 },
    /^Cannot update container c{64}: Conflicting options: CPU Quota/,
  );
  refused({ CpuPeriod: 50_000 }, { NanoCpus: 1e9 }, /Nano CPUs cannot be updated as CPU Period/);
  refused(
    { Memory: 64 << 20, MemorySwap: 128 << 20 },
    { Memory: 256 << 20 },
    /smaller than already set memoryswap/,
  );
  refused({ AutoRemove: true }, { RestartPolicy: { Name: 'always' } }, /AutoRemove is enabled/);
  assert.throws(() => updatedHostConfig(ID, {}, { Memory: 1024 }), InvalidArgumentError);
});

test('update body: as Go decodes it; the CLI side builds it from docker flags', () => {
  assert.deepEqual(
    checkUpdateBody({
      Memory: null,
      CpuShares: 2,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
    }),
    {
      CpuShares: 2,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
    },
  );
  assert.throws(
    () => checkUpdateBody({ Memory: '1g' }),
    /cannot unmarshal string into Go struct field UpdateConfig.Memory of type int64/,
  );
  assert.throws(
    () => checkUpdateBody({ RestartPolicy: { Name: 'sometimes' } }),
    /unknown policy 'sometimes'/,
  );
  assert.throws(() => checkUpdateBody([]), InvalidArgumentError);

  assert.deepEqual(
    updateBody({
      cpus: '1.5',
      memory: '64m',
      'memory-swap': '-1',
      'pids-limit': '-1',
      restart: 'on-failure:2',
    }),
    {
      NanoCpus: 1.5e9,
      Memory: 64 << 20,
      MemorySwap: -1,
      PidsLimit: -1,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 },
    },
  );
  assert.throws(() => updateBody({}), /you must provide one or more flags when using this command/);
  assert.throws(() => updateBody({ memory: 'lots' }), /invalid argument "lots" for "-m, --memory" flag/);
});

function record(
  name: string,
  over: Partial<ContainerRecord>,
  state: Partial<ContainerState> = {},
): ContainerRecord {
  return {
    id: `${name}${'0'.repeat(64 - name.length)}`,
    name,
    imageId: 'sha256:x',
    image: 'busybox',
    config: {},
    hostConfig: {},
    spec: { mounts: [] },
    state: { ...initialState(), ...state },
    ...over,
  } as unknown as ContainerRecord;
}

test('ps filters: volume, exited, before/since, publish/expose, and which imply stopped ones', () => {
  const records = [
    record('a', {
      created: '2026-01-01T00:00:01.000Z',
      spec: {
        mounts: [
          {
            type: 'bind',
            source: '/v/data',
            target: '/data',
            options: [],
            volume: { name: 'data', mode: '' },
          },
        ],
      },
    } as never),
    record(
      'b',
      {
        created: '2026-01-01T00:00:02.000Z',
        hostConfig: { PortBindings: { '80/tcp': [{ HostPort: '8080' }] } },
      },
      {
        StartedAt: '2026-01-01T00:00:03.000Z',
        ExitCode: 3,
      },
    ),
    record('c', {
      created: '2026-01-01T00:00:03.000Z',
      config: { ExposedPorts: { '9000/udp': {} } },
    } as never),
  ];
  const created = (ref: string): string => (records.find((r) => r.name === ref) as ContainerRecord).created;
  const names = (filters: Record<string, string[]>): string[] =>
    records
      .filter(
        containerFilter(
          filters,
          () => undefined,
          () => [],
          created,
        ),
      )
      .map((r) => r.name);
  assert.deepEqual(names({ volume: ['data'] }), ['a']);
  assert.deepEqual(names({ volume: ['/data'] }), ['a']);
  assert.deepEqual(names({ exited: ['3'] }), ['b']);
  assert.deepEqual(names({ exited: ['0'] }), [], 'never started: no exit code');
  assert.deepEqual(names({ before: ['c'] }), ['a', 'b']);
  assert.deepEqual(names({ since: ['a'] }), ['b', 'c']);
  assert.deepEqual(names({ publish: ['80'] }), ['b']);
  assert.deepEqual(names({ publish: ['70-90/tcp'] }), ['b']);
  assert.deepEqual(names({ expose: ['9000/udp'] }), ['c']);
  assert.deepEqual(names({ expose: ['80/tcp'] }), ['b'], 'a published port is exposed');
  assert.deepEqual(names({ 'is-task': ['false'] }), ['a', 'b', 'c']);
  assert.deepEqual(names({ name: ['^b$'] }), ['b'], 'anchored, with or without the slash');
  assert.deepEqual(names({ name: ['^/c$', 'a'] }), ['a', 'c']);
  assert.deepEqual(names({ name: ['(a+)+$'] }), [], 'a pattern beyond anchors is text');
  assert.throws(() => names({ status: ['sleepy'] }), /Unrecognised filter value for status: sleepy/);
  assert.throws(() => names({ exited: ['x'] }), /invalid filter 'exited=x'/);
  assert.throws(() => names({ publish: ['http'] }), /invalid filter 'publish=http'/);
  assert.equal(filtersImplyAll({ status: ['exited'] }), true);
  assert.equal(filtersImplyAll({ exited: ['0'] }), false);

  const now = Date.parse('2026-01-01T00:00:10.000Z');
  const pruned = (filters: Record<string, string[]>): string[] =>
    records.filter(pruneFilter(filters, now)).map((r) => r.name);
  assert.deepEqual(pruned({}), ['a', 'b', 'c']);
  assert.deepEqual(pruned({ until: ['8s'] }), ['a']);
  assert.deepEqual(pruned({ until: ['2026-01-01T00:00:02.500Z'] }), ['a', 'b']);
  assert.deepEqual(pruned({ until: [String(Date.parse('2026-01-01T00:00:02.500Z') / 1000)] }), ['a', 'b']);
  assert.throws(() => pruned({ until: ['soon'] }), /failed to parse value as time or duration/);
  assert.throws(() => pruned({ name: ['a'] }), /invalid filter 'name'/);
});
