import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutputChunk } from '../../src/engine-api/output';
import type { LogsOptions } from '../../src/engine-api/container/types';
import {
  fixedTime,
  formatTimeNs,
  jsonLogPath,
  JsonLogWriter,
  MAX_RECORD_BYTES,
  nowNs,
  timeSeconds,
} from '../../src/engine/logs/json-file';
import { readLogs } from '../../src/engine/logs/reader';

function tmpFile(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-logs-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return jsonLogPath(path.join(dir, 'c1'), 'abc');
}

function records(file: string): { log: string; stream: string; time: string }[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function collect(it: AsyncIterable<OutputChunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(`${c.stream === 'stdout' ? 'o' : 'e'}:${c.data.toString()}`);
  return out;
}

/** Second n of a fixed day, so since/until are easy to read. */
const T0 = Date.parse('2026-12-01T18:00:00Z') / 1000;
const at = (n: number): string => `2026-12-01T18:00:${String(n).padStart(2, '0')}.123456789Z`;

/** Five records, one a second: o1 e2 o3 e4 o5. */
function sample(file: string): void {
  let n = 0;
  const w = new JsonLogWriter(file, () => at(++n));
  for (const [s, text] of [
    ['stdout', 'o1\n'],
    ['stderr', 'e2\n'],
    ['stdout', 'o3\n'],
    ['stderr', 'e4\n'],
    ['stdout', 'o5\n'],
  ] as const)
    w.write(s, Buffer.from(text));
  w.close();
}

test('times: nanoseconds, fixed nine digits, parsed back to seconds', () => {
  assert.equal(formatTimeNs(1_796_148_000_123_456_789n), '2026-12-01T18:00:00.123456789Z');
  assert.equal(formatTimeNs(1_796_148_000_000_000_007n), '2026-12-01T18:00:00.000000007Z');
  assert.equal(fixedTime('2026-12-01T18:00:00.5Z'), '2026-12-01T18:00:00.500000000Z');
  assert.equal(fixedTime('2026-12-01T18:00:00Z'), '2026-12-01T18:00:00.000000000Z');
  assert.equal(timeSeconds('2026-12-01T18:00:01.5Z'), T0 + 1.5);
  assert.ok(Number.isNaN(timeSeconds('yesterday')));
  const now = Number(nowNs() / 1_000_000n);
  assert.ok(Math.abs(now - Date.now()) < 5);
});

test('writer: one record per line, partial lines wait per stream, flush and close write them', (t) => {
  const file = tmpFile(t);
  const w = new JsonLogWriter(file, () => at(0));
  w.write('stdout', Buffer.from('a\nb\npart'));
  w.write('stderr', Buffer.from('err'));
  w.write('stdout', Buffer.from('ial\n'));
  assert.deepEqual(
    records(file).map((r) => r.log),
    ['a\n', 'b\n', 'partial\n'],
  );
  w.flush();
  w.write('stderr', Buffer.from('x'));
  w.close();
  w.write('stdout', Buffer.from('after close\n'));
  assert.deepEqual(records(file), [
    { log: 'a\n', stream: 'stdout', time: at(0) },
    { log: 'b\n', stream: 'stdout', time: at(0) },
    { log: 'partial\n', stream: 'stdout', time: at(0) },
    { log: 'err', stream: 'stderr', time: at(0) },
    { log: 'x', stream: 'stderr', time: at(0) },
  ]);
});

test('writer: a line longer than 16 KiB is split as docker splits it', (t) => {
  const file = tmpFile(t);
  const w = new JsonLogWriter(file);
  w.write('stdout', Buffer.alloc(MAX_RECORD_BYTES * 2 + 10, 'x'));
  w.write('stdout', Buffer.from('y\nz'));
  w.close();
  const logs = records(file).map((r) => r.log);
  assert.deepEqual(
    logs.map((l) => l.length),
    [MAX_RECORD_BYTES, MAX_RECORD_BYTES, 12, 1],
  );
  assert.equal(logs[2], 'x'.repeat(10) + 'y\n');
  assert.match(records(file)[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
});

test('writer: a long line is not cut inside a UTF-8 character', (t) => {
  const file = tmpFile(t);
  const w = new JsonLogWriter(file);
  const text = 'x' + '\u20ac'.repeat(MAX_RECORD_BYTES) + '\n';
  w.write('stdout', Buffer.from(text));
  w.close();
  const logs = records(file).map((r) => r.log);
  assert.ok(logs.length > 1);
  assert.equal(logs.join(''), text);
  assert.ok(logs.every((l) => Buffer.byteLength(l) <= MAX_RECORD_BYTES));
});

test('reader: streams, tail, since/until, timestamps', async (t) => {
  const file = tmpFile(t);
  sample(file);
  const all = ['o:o1\n', 'e:e2\n', 'o:o3\n', 'e:e4\n', 'o:o5\n'];
  const cases: [LogsOptions, string[]][] = [
    [{}, all],
    [{ stdout: true, stderr: true, tail: 'all' }, all],
    [{ stderr: false }, ['o:o1\n', 'o:o3\n', 'o:o5\n']],
    [{ stdout: false }, ['e:e2\n', 'e:e4\n']],
    [{ stdout: false, stderr: false }, []],
    [{ tail: '2' }, ['e:e4\n', 'o:o5\n']],
    [{ tail: '0' }, []],
    [{ tail: '9' }, all],
    [{ tail: '-1' }, all],
    [{ tail: 'x' }, all],
    // tail counts records before the stream filter, as docker does
    [{ tail: '2', stderr: false }, ['o:o5\n']],
    [{ since: T0 + 3 }, ['o:o3\n', 'e:e4\n', 'o:o5\n']],
    [{ since: T0 + 3.2 }, ['e:e4\n', 'o:o5\n']],
    [{ until: T0 + 2.2 }, ['o:o1\n', 'e:e2\n']],
    [{ since: T0 + 2, until: T0 + 4.5, stdout: false }, ['e:e2\n', 'e:e4\n']],
    [{ tail: '1', timestamps: true }, [`o:${at(5)} o5\n`]],
  ];
  for (const [opts, want] of cases)
    assert.deepEqual(await collect(readLogs(file, opts)), want, JSON.stringify(opts));
});

test('reader: a missing file is an empty log; a record still being written is not read', async (t) => {
  const file = tmpFile(t);
  assert.deepEqual(await collect(readLogs(file, {})), []);
  sample(file);
  fs.appendFileSync(file, '{"log":"half');
  assert.deepEqual(await collect(readLogs(file, { tail: '1' })), ['o:o5\n']);
  assert.equal((await collect(readLogs(file, {}))).length, 5);
  fs.appendFileSync(file, 'garbage\n');
  assert.equal((await collect(readLogs(file, {}))).length, 5);
});

test('reader: follow sees new records and ends once the container is done and the file drained', async (t) => {
  const file = tmpFile(t);
  let done = false;
  const w = new JsonLogWriter(file);
  w.write('stdout', Buffer.from('before\n'));
  const seen: string[] = [];
  const reading = (async () => {
    for await (const c of readLogs(file, { follow: true, tail: '1' }, undefined, () => done)) {
      seen.push(c.data.toString());
      if (seen.length === 1) {
        w.write('stderr', Buffer.from('during'));
        setTimeout(() => w.write('stderr', Buffer.from(' follow\n')), 30);
      }
      if (seen.length === 2) {
        w.write('stdout', Buffer.from('last\n'));
        done = true;
      }
    }
  })();
  await reading;
  w.close();
  assert.deepEqual(seen, ['before\n', 'during follow\n', 'last\n']);
});

test('reader: follow waits for the file to appear, and an abort ends it', async (t) => {
  const file = tmpFile(t);
  const ac = new AbortController();
  const seen: string[] = [];
  const started = Date.now();
  setTimeout(() => {
    const w = new JsonLogWriter(file);
    w.write('stdout', Buffer.from('hello\n'));
    w.close();
  }, 50);
  for await (const c of readLogs(file, { follow: true }, ac.signal, () => false)) {
    seen.push(c.data.toString());
    setTimeout(() => ac.abort(), 20);
  }
  assert.deepEqual(seen, ['hello\n']);
  assert.ok(Date.now() - started < 2000);
});

test('reader: follow with until ends when until has passed', async (t) => {
  const file = tmpFile(t);
  const w = new JsonLogWriter(file);
  w.write('stdout', Buffer.from('now\n'));
  w.close();
  const out = await collect(
    readLogs(file, { follow: true, until: Date.now() / 1000 + 0.1 }, undefined, () => false),
  );
  assert.deepEqual(out, ['o:now\n']);
});
