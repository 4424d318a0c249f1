/** Log prefixes of `logs` and an attached `up`: padding, colours, timestamps, whole lines only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LogMultiplexer, type LogPrefixOptions } from '../../../../src/cli/compose/log-prefix';
import { sourceOf } from '../../../../src/compose/project-logs';

function setup(o: LogPrefixOptions): {
  mux: LogMultiplexer;
  out: () => string;
  err: () => string;
  writes: string[];
} {
  const out = new PassThrough();
  const err = new PassThrough();
  let o1 = '';
  let e1 = '';
  const writes: string[] = [];
  out.on('data', (d: Buffer) => {
    o1 += d.toString();
    writes.push(d.toString());
  });
  err.on('data', (d: Buffer) => (e1 += d.toString()));
  return { mux: new LogMultiplexer(out, err, o), out: () => o1, err: () => e1, writes };
}

test('prefixes are padded to the longest name plus one', () => {
  const { mux, out, err } = setup({ color: false, prefix: true });
  mux.register('web-1');
  mux.register('worker-1');
  mux.write('web-1', 'stdout', 'listening on :80\n');
  mux.write('worker-1', 'stdout', 'job 1\njob 2\n');
  mux.write('worker-1', 'stderr', 'warning: slow\n');
  assert.equal(out(), 'web-1     | listening on :80\nworker-1  | job 1\nworker-1  | job 2\n');
  assert.equal(err(), 'worker-1  | warning: slow\n');
});

test("prefixes take docker compose's colours in order, never when colour is off", () => {
  const { mux, out } = setup({ color: true, prefix: true });
  for (const n of ['a-1', 'b-1', 'c-1', 'd-1', 'e-1', 'f-1']) mux.register(n);
  for (const n of ['a-1', 'b-1', 'f-1']) mux.write(n, 'stdout', 'x\n');
  assert.equal(out(), '\x1b[36ma-1  | \x1b[0mx\n\x1b[33mb-1  | \x1b[0mx\n\x1b[36;1mf-1  | \x1b[0mx\n');
  const plain = setup({ color: false, prefix: true });
  plain.mux.write('a-1', 'stdout', 'x\n');
  assert.equal(plain.out(), 'a-1  | x\n');
});

test('--no-log-prefix prints the lines alone, -t stamps them', () => {
  const bare = setup({ color: true, prefix: false });
  bare.mux.write('web-1', 'stdout', 'hello\n');
  assert.equal(bare.out(), 'hello\n');
  const stamped = setup({
    color: false,
    prefix: true,
    timestamps: true,
    clock: () => Date.UTC(2026, 11, 2, 21, 0, 5, 123),
    utcOffsetMinutes: 0,
  });
  stamped.mux.write('web-1', 'stdout', 'hello\n');
  assert.equal(stamped.out(), 'web-1  | 2026-12-02T21:00:05.123000000Z hello\n');
});

test('half lines wait for their end: two containers never share a line', () => {
  const { mux, out, writes } = setup({ color: false, prefix: true });
  mux.register('web-1');
  mux.register('db-1');
  mux.write('web-1', 'stdout', 'GET /in');
  mux.write('db-1', 'stdout', 'ready to ');
  mux.write('web-1', 'stdout', Buffer.from('dex 200\nGET /'));
  mux.write('db-1', 'stdout', 'accept\n');
  mux.write('web-1', 'stdout', 'x 404\n');
  assert.equal(out(), 'web-1  | GET /index 200\ndb-1   | ready to accept\nweb-1  | GET /x 404\n');
  assert.ok(
    writes.every((w) => w.endsWith('\n')),
    JSON.stringify(writes),
  );
});

test('a character split between chunks, an unended last line, an endless line', () => {
  const { mux, out } = setup({ color: false, prefix: true });
  const bytes = Buffer.from('héllo\n');
  mux.write('web-1', 'stdout', bytes.subarray(0, 2));
  mux.write('web-1', 'stdout', bytes.subarray(2));
  mux.write('web-1', 'stdout', 'bye');
  mux.end('web-1');
  mux.end('web-1');
  assert.equal(out(), 'web-1  | héllo\nweb-1  | bye\n');

  const long = setup({ color: false, prefix: false });
  long.mux.write('web-1', 'stdout', 'x'.repeat(64 * 1024 + 10));
  assert.equal(long.out(), `${'x'.repeat(64 * 1024)}\n`);
});

test('status lines end the container’s half line first, in its colour', () => {
  const { mux, out } = setup({ color: false, prefix: true });
  mux.write('web-1', 'stdout', 'partial');
  mux.status('web-1', 'exited with code 0');
  assert.equal(out(), 'web-1  | partial\nweb-1 exited with code 0\n');
  const coloured = setup({ color: true, prefix: true });
  coloured.mux.status('web-1', 'exited with code 137');
  assert.equal(coloured.out(), '\x1b[36m\r\x1b[Kweb-1 exited with code 137\x1b[0m\n');
});

test('the name a container logs under', () => {
  const labels = (n: string, c_name?: string): [string[], Record<string, string>] => [
    [`/${c_name ?? `demo-${n}-1`}`],
    {
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': n,
      'com.docker.compose.container-number': '1',
    },
  ];
  assert.equal(sourceOf(...labels('web'), 'c1').name, 'web-1');
  assert.equal(sourceOf(...labels('web', 'my-proxy'), 'c2').name, 'my-proxy');
});
