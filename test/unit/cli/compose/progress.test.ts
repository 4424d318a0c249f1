/** Compose progress: the events, the plain and JSON renderers, and which renderer is chosen. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressEvent, resourceId, type ProgressEvent } from '../../../../src/compose/progress';
import { progressMode, progressSink, type ProgressChoice } from '../../../../src/cli/compose/progress/choose';
import { ansiMode, colorOn } from '../../../../src/cli/compose/colors';

/** What a first `up` of a two-service project says, one service failing to start. */
export const UP_EVENTS: ProgressEvent[] = [
  progressEvent(resourceId('Network', 'demo_default'), 'Creating'),
  progressEvent(resourceId('Network', 'demo_default'), 'Created'),
  progressEvent(resourceId('Volume', 'demo_data'), 'Creating'),
  progressEvent(resourceId('Volume', 'demo_data'), 'Created'),
  progressEvent(resourceId('Container', 'demo-web-1'), 'Creating'),
  progressEvent(resourceId('Container', 'demo-web-1'), 'Created'),
  progressEvent(resourceId('Container', 'demo-worker-1'), 'Creating'),
  progressEvent(resourceId('Container', 'demo-worker-1'), 'Created'),
  progressEvent(resourceId('Container', 'demo-web-1'), 'Starting'),
  progressEvent(resourceId('Container', 'demo-web-1'), 'Started'),
  progressEvent(resourceId('Container', 'demo-web-1'), 'Waiting'),
  progressEvent(resourceId('Container', 'demo-web-1'), 'Healthy'),
  progressEvent(resourceId('Container', 'demo-worker-1'), 'Starting'),
  progressEvent(resourceId('Container', 'demo-worker-1'), 'Error', 'port 8080 is already allocated'),
];

async function render(
  choice: Partial<ProgressChoice>,
  events: ProgressEvent[],
  dryRun = false,
): Promise<string> {
  const err = new PassThrough();
  let text = '';
  err.on('data', (d: Buffer) => (text += d.toString()));
  const sink = progressSink(
    { env: {}, stderrIsTTY: false, ...choice },
    { err: err as unknown as NodeJS.WriteStream, dryRun },
  );
  for (const e of events) sink.emit(e);
  await sink.done();
  return text;
}

test('events carry docker compose ids and their step state', () => {
  assert.deepEqual(progressEvent('Container demo-web-1', 'Starting'), {
    id: 'Container demo-web-1',
    status: 'Starting',
    done: false,
  });
  assert.deepEqual(progressEvent('Image busybox', 'Pulled'), {
    id: 'Image busybox',
    status: 'Pulled',
    done: true,
  });
  assert.deepEqual(progressEvent('Volume demo_data', 'Error', 'in use'), {
    id: 'Volume demo_data',
    status: 'Error',
    text: 'in use',
    done: true,
    error: true,
  });
  assert.equal(progressEvent('Container x', 'Recreate').done, false);
  assert.equal(progressEvent('Container x', 'Recreated').done, true);
});

test('plain: one line per state change', async () => {
  assert.equal(
    await render({ progress: 'plain' }, UP_EVENTS),
    [
      'Network demo_default  Creating',
      'Network demo_default  Created',
      'Volume demo_data  Creating',
      'Volume demo_data  Created',
      'Container demo-web-1  Creating',
      'Container demo-web-1  Created',
      'Container demo-worker-1  Creating',
      'Container demo-worker-1  Created',
      'Container demo-web-1  Starting',
      'Container demo-web-1  Started',
      'Container demo-web-1  Waiting',
      'Container demo-web-1  Healthy',
      'Container demo-worker-1  Starting',
      'Container demo-worker-1  Error port 8080 is already allocated',
      '',
    ].join('\n'),
  );
  assert.equal(
    await render({ progress: 'plain' }, UP_EVENTS.slice(0, 1), true),
    'DRY-RUN MODE - Network demo_default  Creating\n',
  );
});

test('auto is plain when stderr is not a terminal, or ANSI is off', async () => {
  const plain = await render({}, UP_EVENTS.slice(0, 2));
  assert.equal(plain, 'Network demo_default  Creating\nNetwork demo_default  Created\n');
  assert.equal(progressMode({ env: {}, stderrIsTTY: true, ansi: 'never' }), 'plain');
  assert.equal(progressMode({ env: { COMPOSE_ANSI: 'never' }, stderrIsTTY: true }), 'plain');
});

test('json: docker compose jsonMessage lines', async () => {
  const lines = (await render({ progress: 'json' }, [UP_EVENTS[4], UP_EVENTS[5], UP_EVENTS[13]])).split('\n');
  assert.deepEqual(lines, [
    '{"id":"Container demo-web-1","status":"Working","text":"Creating"}',
    '{"id":"Container demo-web-1","status":"Done","text":"Created"}',
    '{"id":"Container demo-worker-1","status":"Error","text":"Error","details":"port 8080 is already allocated"}',
    '',
  ]);
  assert.equal(
    await render({ progress: 'json' }, [progressEvent('Container <a>', 'Warning', 'x&y')], true),
    '{"dry-run":true,"id":"Container \\u003ca\\u003e","status":"Warning","text":"Warning","details":"x\\u0026y"}\n',
  );
});

test('quiet prints nothing', async () => {
  assert.equal(await render({ progress: 'quiet' }, UP_EVENTS), '');
  assert.equal(await render({ env: { COMPOSE_PROGRESS: 'quiet' } }, UP_EVENTS), '');
});

test('the chooser: --progress, COMPOSE_PROGRESS, --ansi, COMPOSE_ANSI and the terminal', () => {
  const table: [Partial<ProgressChoice>, string][] = [
    [{ stderrIsTTY: true }, 'tty'],
    [{ stderrIsTTY: false }, 'plain'],
    [{ stderrIsTTY: false, ansi: 'always' }, 'plain'],
    [{ stderrIsTTY: true, progress: 'plain' }, 'plain'],
    [{ stderrIsTTY: false, progress: 'tty' }, 'tty'],
    [{ stderrIsTTY: true, progress: 'json' }, 'json'],
    [{ stderrIsTTY: true, progress: 'none' }, 'quiet'],
    [{ stderrIsTTY: true, env: { COMPOSE_PROGRESS: 'plain' } }, 'plain'],
    // the flag wins over the variable
    [{ stderrIsTTY: true, progress: 'json', env: { COMPOSE_PROGRESS: 'plain' } }, 'json'],
    [{ stderrIsTTY: true, ansi: 'auto', env: { COMPOSE_ANSI: 'never' } }, 'tty'],
  ];
  for (const [choice, mode] of table)
    assert.equal(progressMode({ env: {}, stderrIsTTY: false, ...choice }), mode, JSON.stringify(choice));

  const refused: [Partial<ProgressChoice>, RegExp][] = [
    [{ progress: 'tty', ansi: 'never' }, /can't use --progress tty while ANSI support is disabled/],
    [{ progress: 'plain', ansi: 'always' }, /can't use --progress plain while ANSI support is forced/],
    [{ progress: 'fancy' }, /unsupported --progress value "fancy"/],
    [{ ansi: 'sometimes' }, /unsupported --ansi value "sometimes"/],
  ];
  for (const [choice, message] of refused)
    assert.throws(() => progressMode({ env: {}, stderrIsTTY: true, ...choice }), message);
});

test('colour: --ansi, then NO_COLOR, then the terminal', () => {
  assert.equal(ansiMode(undefined, {}), 'auto');
  assert.equal(ansiMode(undefined, { COMPOSE_ANSI: 'always' }), 'always');
  assert.equal(ansiMode('never', { COMPOSE_ANSI: 'always' }), 'never');
  assert.equal(colorOn('auto', {}, true), true);
  assert.equal(colorOn('auto', {}, false), false);
  assert.equal(colorOn('always', {}, false), true);
  assert.equal(colorOn('never', {}, true), false);
  assert.equal(colorOn('always', { NO_COLOR: '1' }, true), false);
  assert.equal(colorOn('auto', { NO_COLOR: '' }, true), true);
});
