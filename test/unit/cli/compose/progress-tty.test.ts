/** The terminal view of compose progress: listr2 frames fed event sequences, on a fixed clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressEvent } from '../../../../src/compose/progress';
import {
  headerLine,
  rowIcon,
  rowTexts,
  ttySink,
  type TtyRow,
} from '../../../../src/cli/compose/progress/tty';
import { plainPaint } from '../../../../src/cli/compose/colors';

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

/** The last frame listr2 drew: what stays on the terminal once the operation ends. */
function lastFrame(text: string): string {
  const from = text.lastIndexOf('[+] ');
  return text.slice(from).replace('\x1b[?25h', '');
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function up(color: boolean): Promise<{ out: string; held: string; heldDuring: string }> {
  const out = capture();
  const held = capture();
  let now = 10_000;
  const sink = ttySink(out.stream, { color, held: held.stream, clock: () => now });
  sink.emit(progressEvent('Network demo_default', 'Creating'));
  now += 120;
  sink.emit(progressEvent('Network demo_default', 'Created'));
  sink.emit(progressEvent('Container demo-web-1', 'Creating'));
  await tick(150);
  now += 300;
  sink.emit(progressEvent('Container demo-web-1', 'Created'));
  sink.emit(progressEvent('Container demo-worker-1', 'Creating'));
  // Someone else's output while the view redraws waits until it is done.
  held.stream.write('log line\n');
  sink.emit(progressEvent('Container demo-web-1', 'Starting'));
  now += 100;
  sink.emit(progressEvent('Container demo-web-1', 'Started'));
  sink.emit(progressEvent('Container demo-worker-1', 'Error', 'port 8080 is already allocated'));
  await tick(150);
  const heldDuring = held.text();
  await sink.done();
  return { out: out.text(), held: held.text(), heldDuring };
}

test("tty: the last frame is docker compose's summary, aligned, with elapsed times", async () => {
  const { out } = await up(false);
  assert.equal(
    lastFrame(out),
    [
      '[+] Running 3/3',
      ' ✔ Network demo_default     Created                               0.1s',
      ' ✔ Container demo-web-1     Started                               0.4s',
      ' ✘ Container demo-worker-1  Error port 8080 is already allocated  0.1s',
      '',
    ].join('\n'),
  );
  assert.ok(!out.includes('\x1b[32m'), 'no colours when colour is off');
});

test('tty: colours when on, and output of others held until the view is done', async () => {
  const { out, held, heldDuring } = await up(true);
  const frame = lastFrame(out);
  assert.ok(frame.includes(' \x1b[32m✔\x1b[0m Network demo_default'), frame);
  assert.ok(frame.includes('\x1b[32mStarted\x1b[0m'), frame);
  assert.ok(frame.includes(' \x1b[31;1m✘\x1b[0m Container demo-worker-1'), frame);
  assert.equal(heldDuring, '');
  assert.equal(held, 'log line\n');
});

test('tty: a resource working again spins and counts as not done', () => {
  const rows: TtyRow[] = [
    {
      id: 'Network demo_default',
      status: 'Created',
      done: true,
      error: false,
      warning: false,
      start: 0,
      end: 100,
    },
    {
      id: 'Container demo-web-1',
      status: 'Starting',
      done: false,
      error: false,
      warning: false,
      start: 0,
      end: 50,
    },
  ];
  const paints = { success: plainPaint, warning: plainPaint, error: plainPaint, count: plainPaint };
  assert.equal(headerLine('[+] Running', rows), '[+] Running 1/2');
  assert.equal(rowIcon(rows[1], 0, paints), '⠋');
  assert.equal(rowIcon(rows[1], 250, paints), '⠹');
  assert.equal(rowIcon({ ...rows[1], done: true, warning: true }, 250, paints), '!');
  assert.deepEqual(rowTexts(rows, 2_345, paints), [
    'Network demo_default  Created   0.1s',
    'Container demo-web-1  Starting  2.3s',
  ]);
});

test('tty: an operation without events draws nothing', async () => {
  const out = capture();
  const sink = ttySink(out.stream, { color: false, held: capture().stream, clock: () => 0 });
  await sink.done();
  assert.equal(out.text(), '');
});
