/**
 * What `stats` and `events` print, against docker's own computations and formats: CPU % from a
 * sample and its precpu, memory without the inactive file cache (v1 and v2 keys), binary and
 * decimal sizes, the table and JSON of stats; the plain event line in UTC and another zone,
 * `--format json` in docker's field order, and a template.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStats } from '../../../src/engine-api/container/stats-types';
import type { EngineEvent } from '../../../src/engine-api/events/types';
import type { ContainerRecord } from '../../../src/engine/containers/record';
import { zeroStats } from '../../../src/engine/containers/stats';
import {
  bytesSize,
  cpuPercent,
  memoryUsage,
  renderStats,
  statsEntry,
} from '../../../src/cli/container/render-stats';
import { eventPrinter, eventTime } from '../../../src/cli/format/render-events';

const ID = 'f'.repeat(64);

function sample(over: Partial<ContainerStats> = {}): ContainerStats {
  const cpu = (total: number, system: number) => ({
    cpu_usage: { total_usage: total, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: system,
    online_cpus: 4,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  });
  const zero = zeroStats({ id: ID, name: 'web' } as ContainerRecord);
  return {
    ...zero,
    read: '2026-12-01T18:00:01.000000000Z',
    preread: '2026-12-01T18:00:00.000000000Z',
    pids_stats: { current: 3 },
    blkio_stats: {
      ...zero.blkio_stats,
      io_service_bytes_recursive: [
        { major: 8, minor: 0, op: 'Read', value: 4096 },
        { major: 8, minor: 0, op: 'Write', value: 1_500_000 },
        { major: 8, minor: 0, op: 'Total', value: 1_504_096 },
        { major: 8, minor: 16, op: 'read', value: 4 },
      ],
    },
    // 0.5 s of CPU in a second of four CPUs' time (4 s): 12.5 % of the host, 50 % of a CPU
    cpu_stats: cpu(1_500_000_000, 14_000_000_000),
    precpu_stats: cpu(1_000_000_000, 10_000_000_000),
    memory_stats: {
      usage: 60 * 1024 * 1024,
      limit: 256 * 1024 * 1024,
      stats: { total_inactive_file: 8 * 1024 * 1024 },
    },
    networks: {
      eth0: {
        rx_bytes: 1500,
        rx_packets: 1,
        rx_errors: 0,
        rx_dropped: 0,
        tx_bytes: 648,
        tx_packets: 1,
        tx_errors: 0,
        tx_dropped: 0,
      },
      eth1: {
        rx_bytes: 500,
        rx_packets: 1,
        rx_errors: 0,
        rx_dropped: 0,
        tx_bytes: 0,
        tx_packets: 0,
        tx_errors: 0,
        tx_dropped: 0,
      },
    },
    ...over,
  };
}

test('stats numbers as the docker CLI computes them', () => {
  assert.equal(cpuPercent(sample()), 50);
  // no precpu yet (a first streamed sample): the system delta is the whole system time
  assert.equal(
    cpuPercent({
      ...sample(),
      precpu_stats: {
        ...sample().precpu_stats,
        cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
        system_cpu_usage: 0,
      },
    }),
    (1.5e9 / 14e9) * 4 * 100,
  );
  const idle = sample();
  idle.cpu_stats = idle.precpu_stats;
  assert.equal(cpuPercent(idle), 0);
  assert.equal(memoryUsage(sample()), 52 * 1024 * 1024);
  const v2 = sample({ memory_stats: { usage: 1000, limit: 2000, stats: { inactive_file: 400 } } });
  assert.equal(memoryUsage(v2), 600);
  assert.equal(memoryUsage(sample({ memory_stats: { usage: 100, stats: { inactive_file: 400 } } })), 100);
  const e = statsEntry(sample(), 'web');
  assert.deepEqual([e.blockRead, e.blockWrite, e.netRx, e.netTx, e.pids], [4100, 1_500_000, 2000, 648, 3]);
  assert.equal(e.memoryPercent, (52 / 256) * 100);
});

test('sizes: go-units BytesSize (binary, %.4g)', () => {
  const cases: [number, string][] = [
    [0, '0B'],
    [1023, '1023B'],
    [1024, '1KiB'],
    [1536 * 1024, '1.5MiB'],
    [52 * 1024 * 1024, '52MiB'],
    [8_193_000_000, '7.63GiB'],
    [123_456_789, '117.7MiB'],
  ];
  for (const [n, want] of cases) assert.equal(bytesSize(n), want, String(n));
});

test('stats table: docker columns and values; json; a template; invalid and stopped ones', () => {
  const e = statsEntry(sample(), 'web');
  const table = renderStats([e]).split('\n');
  assert.match(
    table[0],
    /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/,
  );
  assert.equal(
    table[1].split(/\s{3,}/).join('|'),
    'ffffffffffff|web|50.00%|52MiB / 256MiB|20.31%|2kB / 648B|4.1kB / 1.5MB|3',
  );
  assert.equal(
    renderStats([e], 'json'),
    '{"BlockIO":"4.1kB / 1.5MB","CPUPerc":"50.00%","Container":"web","ID":"ffffffffffff","MemPerc":"20.31%",' +
      '"MemUsage":"52MiB / 256MiB","Name":"web","NetIO":"2kB / 648B","PIDs":"3"}\n',
  );
  assert.equal(renderStats([e], '{{.Name}}: {{.MemPerc}}', true), 'web: 20.31%\n');
  assert.match(renderStats([e], '{{.ID}}', true), new RegExp(`^${ID}\n$`));
  const gone = { ...e, invalid: true };
  assert.equal(renderStats([gone], '{{.CPUPerc}} {{.MemUsage}} {{.PIDs}}'), '-- -- / -- --\n');
  const stopped = statsEntry(
    {
      ...sample(),
      read: '0001-01-01T00:00:00Z',
      pids_stats: {},
      memory_stats: {},
      networks: undefined,
      cpu_stats: sample().precpu_stats,
      blkio_stats: { ...sample().blkio_stats, io_service_bytes_recursive: null },
    },
    'x',
  );
  assert.equal(
    renderStats([stopped], '{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}'),
    '0.00%|0B / 0B|0.00%|0B / 0B|0B / 0B|0\n',
  );
});

const event: EngineEvent = {
  Type: 'container',
  Action: 'start',
  Actor: { ID: 'abc', Attributes: { name: 'x', image: 'busybox', 'com.example': 'v' } },
  scope: 'local',
  time: 1_796_148_000,
  timeNano: 1_796_148_000_123_456_768,
  status: 'start',
  id: 'abc',
  from: 'busybox',
};

test("events: docker's plain line, sorted attributes, its time in UTC and in a zone east of it", () => {
  assert.equal(eventTime(1_796_148_000_123_456_768, 0), '2026-12-01T18:00:00.123456768Z');
  assert.equal(eventTime(1_796_148_000_000_000_000, 90), '2026-12-01T19:30:00.000000000+01:30');
  assert.equal(eventTime(1_796_148_000_000_000_000, -300), '2026-12-01T13:00:00.000000000-05:00');
  const line = eventPrinter()(event);
  assert.match(line, /^\S+ container start abc \(com\.example=v, image=busybox, name=x\)\n$/);
  assert.equal(
    eventPrinter()({ ...event, Actor: { ID: 'i', Attributes: {} } })
      .split(' ')
      .slice(1)
      .join(' '),
    'container start i\n',
  );
});

test('events: --format json in the order of docker events.Message; a template', () => {
  assert.equal(
    eventPrinter('json')(event),
    '{"status":"start","id":"abc","from":"busybox","Type":"container","Action":"start",' +
      '"Actor":{"ID":"abc","Attributes":{"name":"x","image":"busybox","com.example":"v"}},' +
      '"scope":"local","time":1796148000,"timeNano":1796148000123456800}\n',
  );
  const { status: _s, id: _i, from: _f, ...imageEvent } = { ...event, Type: 'image' as const };
  assert.match(eventPrinter('json')(imageEvent), /^\{"Type":"image"/);
  assert.equal(eventPrinter('{{.Type}}\\t{{.Actor.Attributes.name}}')(event), 'container\tx\n');
});
