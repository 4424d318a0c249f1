/**
 * The pure parts behind stats, events and engine install: /proc/stat and /proc/<pid>/net/dev
 * parsing, docker's event filters (keys AND-ed, values OR-ed, labels AND-ed, prefix matches for
 * ids, names and `exec_create`-like actions), the event stream's past and live parts over a bus,
 * and the systemd unit's text and quoting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../src/engine-api/events/types';
import { parseNetDev, parseSystemCpuNs } from '../../src/engine/containers/host-stats';
import { eventMatches, streamEvents } from '../../src/engine/event-stream';
import { EventBus } from '../../src/engine/events';
import { systemdUnit } from '../../src/engine/systemd-unit';

test('/proc/stat: user to softirq of the cpu line, in nanoseconds', () => {
  const text = 'cpu  100 5 20 1000 3 1 1 7 0 0\ncpu0 50 0 10 500 1 0 0 3 0 0\nintr 1\n';
  assert.equal(parseSystemCpuNs(text), (100 + 5 + 20 + 1000 + 3 + 1 + 1) * 1e7);
  assert.equal(parseSystemCpuNs('intr 1\n'), 0);
});

test('/proc/<pid>/net/dev: every interface but lo', () => {
  const text = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo:     120       2    0    0    0     0          0         0      120       2    0    0    0     0       0          0',
    '  eth0:    1500      10    1    2    0     0          0         0      648       8    3    4    0     0       0          0',
  ].join('\n');
  assert.deepEqual(parseNetDev(text), {
    eth0: {
      rx_bytes: 1500,
      rx_packets: 10,
      rx_errors: 1,
      rx_dropped: 2,
      tx_bytes: 648,
      tx_packets: 8,
      tx_errors: 3,
      tx_dropped: 4,
    },
  });
  assert.deepEqual(parseNetDev(text.split('\n').slice(0, 3).join('\n')), {});
});

const ev = (
  Action: string,
  attrs: Record<string, string> = {},
  Type: EngineEvent['Type'] = 'container',
): EngineEvent => ({
  Type,
  Action,
  Actor: { ID: 'abc123', Attributes: { name: 'web', image: 'busybox:1.36', ...attrs } },
  scope: 'local',
  time: 1,
  timeNano: 1e9,
});

test("event filters as dockerd's", () => {
  const cases: [Record<string, string[]>, EngineEvent, boolean][] = [
    [{}, ev('start'), true],
    [{ container: ['abc'] }, ev('start'), true],
    [{ container: ['we'] }, ev('start'), true],
    [{ container: ['xyz', 'web'] }, ev('start'), true],
    [{ container: ['bc1'] }, ev('start'), false],
    [{ event: ['start', 'die'] }, ev('die'), true],
    [{ event: ['start'] }, ev('restart'), false],
    [{ event: ['health_status'] }, ev('health_status: healthy'), true],
    [{ event: ['exec_create'] }, ev('exec_create: sh -c x'), true],
    [{ event: ['exec_create: sh -c x'] }, ev('exec_create: sh -c x'), true],
    [{ event: ['health_status: healthy'] }, ev('health_status: unhealthy'), false],
    [{ type: ['container'] }, ev('start'), true],
    [{ type: ['image'] }, ev('start'), false],
    [{ image: ['busybox'] }, ev('start'), true],
    [{ image: ['busybox:1.36'] }, ev('start'), true],
    [{ image: ['busybox:latest'] }, ev('start'), false],
    [{ image: ['busybox'] }, ev('tag', { name: 'busybox:1.36' }, 'image'), true],
    [{ label: ['tier'] }, ev('start', { tier: 'web' }), true],
    [{ label: ['tier=web', 'app'] }, ev('start', { tier: 'web' }), false],
    [{ label: ['tier=web'] }, ev('start', { tier: 'db' }), false],
    [{ scope: ['local'] }, ev('start'), true],
    [{ container: ['web'], event: ['die'] }, ev('start'), false],
  ];
  for (const [filters, e, want] of cases)
    assert.equal(eventMatches(e, filters), want, `${JSON.stringify(filters)} ${e.Action}`);
});

async function all(it: AsyncIterable<EngineEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of it) out.push(e.Action);
  return out;
}

test('event stream: since replays, until ends it (past or future), live events in between, abort', async () => {
  const bus = new EventBus();
  bus.emit('container', 'create', 'a');
  // events carry nanoseconds that may be a millisecond or two off Date.now(): a margin each side
  await new Promise((r) => setTimeout(r, 20));
  const mid = Date.now() / 1000;
  await new Promise((r) => setTimeout(r, 20));
  bus.emit('container', 'start', 'a');
  const now = Date.now() / 1000 + 0.02;
  assert.deepEqual(await all(streamEvents(bus, { since: 1, until: now })), ['create', 'start']);
  assert.deepEqual(await all(streamEvents(bus, { since: mid, until: now })), ['start']);
  assert.deepEqual(await all(streamEvents(bus, { until: now })), ['create', 'start']);

  // until in the near future: the past (until alone replays it all, as dockerd), then live events until then
  const live = all(streamEvents(bus, { until: Date.now() / 1000 + 0.3 }));
  setTimeout(() => bus.emit('container', 'die', 'a'), 50);
  setTimeout(() => bus.emit('container', 'destroy', 'a'), 600);
  assert.deepEqual(await live, ['create', 'start', 'die']);

  // no bounds: live only, until the signal aborts
  const ac = new AbortController();
  const forever = all(streamEvents(bus, { filters: { event: ['kill'] } }, ac.signal));
  bus.emit('container', 'kill', 'a');
  bus.emit('container', 'stop', 'a');
  setTimeout(() => ac.abort(), 50);
  assert.deepEqual(await forever, ['kill']);
  await assert.rejects(all(streamEvents(bus, { filters: { colour: ['red'] } })), {
    message: "invalid filter 'colour'",
  });
});

test('systemd unit: the engine as a service, KillMode=process, the environment, quoting', () => {
  const unit = systemdUnit({
    node: '/usr/bin/node',
    script: '/opt/tscompose/bin/run.js',
    env: { TSCOMPOSE_ROOT: '/srv/tscompose', PATH: '/usr/bin', TSCOMPOSE_RUNROOT: '' },
  });
  const lines = unit.split('\n');
  assert.ok(lines.includes('ExecStart=/usr/bin/node /opt/tscompose/bin/run.js engine run'));
  assert.ok(lines.includes('Restart=on-failure'));
  assert.ok(lines.includes('KillMode=process'));
  assert.ok(lines.includes('Environment="TSCOMPOSE_ROOT=/srv/tscompose"'));
  assert.ok(
    !unit.includes('PATH=') && !unit.includes('TSCOMPOSE_RUNROOT'),
    'only the engine settings that are set',
  );
  assert.ok(lines.includes('WantedBy=multi-user.target'));
  assert.deepEqual(
    lines.filter((l) => l.startsWith('[')),
    ['[Unit]', '[Service]', '[Install]'],
  );
  const odd = systemdUnit({
    node: '/my node/node',
    script: '/a%b/$x/run.js',
    env: { TSCOMPOSE_ROOT: '/r "q"' },
  });
  assert.match(odd, /^ExecStart="\/my node\/node" \/a%%b\/\$\$x\/run\.js engine run$/m);
  assert.match(odd, /^Environment="TSCOMPOSE_ROOT=\/r \\"q\\""$/m);
});
