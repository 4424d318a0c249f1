/**
 * The state verbs through the real CLI on the example stack (examples/demo), in this file's own
 * network namespace, with an override file adding two services: `slow`, which ignores SIGTERM
 * and notes a SIGUSR1, and `oneshot`, which exits 3; `cache` gains an anonymous volume.
 * create makes the containers and starts none; start starts them dependencies first; stop and
 * start keep the same containers and the volume's data; restart honours -t; events --json and
 * the plain lines show that restart; kill -s delivers the signal; pause and unpause; wait
 * returns the exit code; rm -s -v takes the anonymous volume along; `system events` is the
 * engine's stream; wait --down-project takes the project down.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT } from '../helpers/cli';
import { useCliEngine } from '../helpers/cli-engine';

const DEMO = path.join(REPO_ROOT, 'examples', 'demo');

const OVERRIDE = `
services:
  cache:
    volumes: [/scratch]
  slow:
    image: demo-busybox:latest
    command: ["sh", "-c", "trap '' TERM; trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.2; done"]
  oneshot:
    image: demo-busybox:latest
    command: ["sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.1; done; rm /tmp/go; exit 3"]
`;

describe('compose state verbs on the example stack', () => {
  const e = useCliEngine('tscompose-state-', { DEMO_PORT: '18086' });
  const override = path.join(e.dir, 'override.yaml');
  const f = ['--project-directory', DEMO, '-f', path.join(DEMO, 'compose.yaml'), '-f', override];
  const run = (...args: string[]) => e.cli(...f, '--progress', 'plain', ...args);
  const ok = (...args: string[]): { stdout: string; stderr: string } => {
    const t = Date.now();
    const r = run(...args);
    if (process.env.STATE_TIMES) process.stderr.write(`${args.join(' ')}: ${Date.now() - t} ms\n`);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const engineOk = (...args: string[]): string => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** Name → "id state" of the project's containers. */
  const containers = (): Record<string, string> =>
    Object.fromEntries(
      engineOk(
        'container',
        'ls',
        '-a',
        '--no-trunc',
        '--filter',
        'label=com.docker.compose.project=demo',
        '--format',
        '{{.Names}} {{.ID}} {{.State}}',
      )
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [name, id, state] = l.split(' ');
          return [name, `${id} ${state}`];
        }),
    );
  const states = (): Record<string, string> =>
    Object.fromEntries(Object.entries(containers()).map(([n, v]) => [n, v.split(' ')[1]]));
  const idOf = (name: string): string => containers()[name].split(' ')[0];
  const before_ = (text: string, a: RegExp, b: RegExp): void => {
    const i = text.search(a);
    const j = text.search(b);
    assert.ok(i >= 0 && j >= 0 && i < j, `${a} before ${b} in:\n${text}`);
  };
  /** An --until a moment from now: `0s` is this second, cut short (the last events may be in it). */
  const soon = (): string => String(Date.now() / 1000 + 0.2);
  const until = async (what: string, check: () => boolean, ms = 15_000): Promise<void> => {
    const t0 = Date.now();
    while (!check()) {
      assert.ok(Date.now() - t0 < ms, `waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /** `wait …` in the background, oneshot told to exit once the wait has begun. */
  async function waitThenGo(
    ...args: string[]
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(
      process.execPath,
      [path.join(e.dir, 'build', 'bin', 'run.js'), ...f, '--progress', 'plain', ...args],
      {
        env: e.env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The wait has begun once the engine serves its wait request: give the CLI its start-up time.
    await new Promise((r) => setTimeout(r, 2500));
    engineOk('container', 'exec', 'demo-oneshot-1', 'touch', '/tmp/go');
    const status = await exited;
    return { status, stdout, stderr };
  }

  before(() => {
    fs.writeFileSync(override, OVERRIDE);
    const tar = path.join(e.dir, 'rootfs.tar');
    const made = spawnSync(path.join(DEMO, 'make-image.sh'), [tar], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    engineOk('image', 'import', '-c', 'CMD ["sh"]', tar, 'demo-busybox:latest');
  });

  test('create, start, stop, restart -t, events, kill -s, pause, wait, rm -s -v, system events', async () => {
    try {
      await verbs();
    } finally {
      e.cli(...f, 'down', '-v', '-t', '0');
    }
  });

  async function verbs(): Promise<void> {
    // create: every container made, none started.
    ok('create');
    assert.deepEqual(states(), {
      'demo-cache-1': 'created',
      'demo-oneshot-1': 'created',
      'demo-slow-1': 'created',
      'demo-web-1': 'created',
      'demo-worker-1': 'created',
    });
    const made = containers();

    // start: dependencies first, the worker once web is healthy.
    const started = ok('start');
    before_(started.stderr, /Container demo-web-1 {2}Healthy/, /Container demo-worker-1 {2}Starting/);
    before_(started.stderr, /Container demo-cache-1 {2}Started/, /Container demo-worker-1 {2}Starting/);
    assert.equal(states()['demo-worker-1'], 'running');
    const volume = JSON.parse(engineOk('volume', 'inspect', 'demo_data'))[0] as { Mountpoint: string };
    const log = path.join(volume.Mountpoint, 'worker.log');
    await until('the worker to write', () => fs.existsSync(log) && fs.statSync(log).size > 0);

    // --dry-run: the plan printed, nothing changed.
    const dry = run('--dry-run', 'stop', 'worker');
    assert.equal(dry.status, 0, dry.stderr);
    assert.equal(dry.stdout, 'stop-container demo-worker-1\n');
    assert.equal(states()['demo-worker-1'], 'running');

    // stop: dependents first; the same containers, the volume and its data kept; start again.
    const stopped = ok('stop', 'web', 'cache', 'worker');
    before_(stopped.stderr, /Container demo-worker-1 {2}Stopped/, /Container demo-web-1 {2}Stopping/);
    const afterStop = states();
    for (const s of ['web', 'cache', 'worker']) assert.equal(afterStop[`demo-${s}-1`], 'exited');
    assert.equal(afterStop['demo-slow-1'], 'running', 'slow was not named');
    const written = fs.readFileSync(log, 'utf8');
    ok('start', 'worker');
    assert.equal(states()['demo-worker-1'], 'running', 'start worker starts what it needs too');
    assert.equal(states()['demo-web-1'], 'running');
    assert.deepEqual(
      Object.fromEntries(Object.entries(containers()).map(([n, v]) => [n, v.split(' ')[0]])),
      Object.fromEntries(Object.entries(made).map(([n, v]) => [n, v.split(' ')[0]])),
      'the same containers',
    );
    assert.ok(fs.readFileSync(log, 'utf8').startsWith(written), 'the data kept');

    // restart -t 2 of a container that ignores SIGTERM takes about 2 seconds; events show it.
    const since = String(Date.now() / 1000 - 1);
    const t0 = Date.now();
    const restarted = ok('restart', '-t', '2', 'slow');
    const took = Date.now() - t0;
    assert.ok(took >= 1900 && took < 9000, `restart -t 2 took ${took} ms`);
    assert.match(
      restarted.stderr,
      /Container demo-slow-1 {2}Restarting[\s\S]*Container demo-slow-1 {2}Started/,
    );
    const slowId = idOf('demo-slow-1');
    const events = ok('events', '--json', '--since', since, '--until', soon());
    const lines = events.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const actions = lines.filter((l) => l.service === 'slow').map((l) => l.action);
    for (const a of ['die', 'stop', 'start', 'restart'])
      assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`);
    before_(actions.join(' '), /die/, /restart/);
    const first = lines[0];
    assert.deepEqual(Object.keys(first), ['action', 'attributes', 'id', 'service', 'time', 'type']);
    const restart = lines.find((l) => l.action === 'restart') as Record<string, unknown>;
    assert.equal(restart.id, slowId);
    assert.equal(restart.type, 'container');
    assert.match(String(restart.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    const attrs = restart.attributes as Record<string, string>;
    assert.equal(attrs.name, 'demo-slow-1');
    assert.equal(attrs.image, 'demo-busybox:latest');
    assert.ok(
      !Object.keys(attrs).some((k) => k.startsWith('com.docker.compose.')),
      'compose labels left out',
    );
    const plain = ok('events', '--since', since, '--until', soon(), 'slow').stdout;
    assert.match(
      plain,
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} container restart ${slowId} \\(.*name=demo-slow-1`,
        'm',
      ),
    );

    // kill -s: the signal reaches the container's trap.
    ok('kill', '-s', 'SIGUSR1', 'slow');
    await until('slow to note SIGUSR1', () => /got USR1/.test(engineOk('container', 'logs', 'demo-slow-1')));
    assert.equal(states()['demo-slow-1'], 'running');

    // pause and unpause.
    assert.match(ok('pause', 'worker').stderr, /Container demo-worker-1 {2}Paused/);
    assert.equal(states()['demo-worker-1'], 'paused');
    assert.match(ok('unpause', 'worker').stderr, /Container demo-worker-1 {2}Unpaused/);
    assert.equal(states()['demo-worker-1'], 'running');

    // rm: nothing stopped to remove; then -s -v stops cache and removes its anonymous volume.
    assert.match(ok('rm', '-f', 'web').stderr, /No stopped containers/);
    const mounts = JSON.parse(
      engineOk('container', 'inspect', '--format', '{{json .Mounts}}', 'demo-cache-1'),
    ) as {
      Destination: string;
      Name?: string;
    }[];
    const anonymous = mounts.find((m) => m.Destination === '/scratch')?.Name ?? '';
    assert.ok(anonymous, JSON.stringify(mounts));
    assert.ok(engineOk('volume', 'ls', '-q').includes(anonymous));
    const removed = ok('rm', '-s', '-v', '-f', 'cache');
    assert.match(removed.stdout, /^Going to remove demo-cache-1$/m);
    assert.match(removed.stderr, /Container demo-cache-1 {2}Removed/);
    assert.equal(containers()['demo-cache-1'], undefined);
    assert.ok(
      !engineOk('volume', 'ls', '-q').split('\n').includes(anonymous),
      'the anonymous volume is gone',
    );
    assert.ok(engineOk('volume', 'ls', '-q').split('\n').includes('demo_data'), 'the named one stays');

    // The engine's stream is `system events` (its history dies with the daemon: the log says why).
    const system = engineOk(
      'system',
      'events',
      '--since',
      since,
      '--until',
      soon(),
      '--filter',
      'event=destroy',
    );
    const engineLog = path.join(e.runRoot, 'engine.log');
    assert.match(
      system,
      new RegExp(`container destroy ${made['demo-cache-1'].split(' ')[0]} `),
      fs.existsSync(engineLog) ? fs.readFileSync(engineLog, 'utf8').split('\n').slice(-20).join('\n') : '',
    );

    // SIGKILL by default; then wait: oneshot's exit said and its code returned, and with
    // --down-project the project taken down.
    ok('kill', 'slow');
    await until('slow to be killed', () => states()['demo-slow-1'] === 'exited');
    ok('start', 'oneshot');
    const oneshotId = idOf('demo-oneshot-1');
    const waited = await waitThenGo('wait', '--down-project', 'oneshot');
    assert.equal(waited.status, 3, waited.stderr);
    assert.equal(waited.stdout, `container "${oneshotId}" exited with status code 3\n`);
    assert.deepEqual(containers(), {});
  }
});
