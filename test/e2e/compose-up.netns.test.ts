/**
 * `up` and `down` through the real CLI and its daemon, in this file's own network namespace: a
 * small stack of busybox services (a web server with a healthcheck on a published port, a
 * one-shot migration, a worker that waits for both and writes to a named volume) brought up
 * with --wait, re-upped without change, changed, scaled, left with an orphan, planned with
 * --dry-run and brought down leaving nothing; a bad file applying nothing; a failed --wait.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { httpGet } from '../helpers/http-get';
import { useCliEngine } from '../helpers/cli-engine';

/** A shell loop PID 1 can be stopped out of: TERM ends it (at the next second) with `code`. */
const loop = (before: string, code = 0): string =>
  `${before}; trap 'exit ${code}' TERM; while :; do sleep 1; done`;

const STACK = `
name: stack
services:
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:18080:8080"]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"]
      interval: 1s
      timeout: 2s
      retries: 20
  migrate:
    image: busybox
    command: ["sh", "-c", "echo migrated > /data/migrated"]
    volumes: [data:/data]
  worker:
    image: busybox
    command: ["sh", "-c", "${loop('cat /data/migrated > /data/seen; echo worker $$MODE started')}"]
    environment:
      MODE: \${MODE:-one}
    depends_on:
      web: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    volumes: [data:/data]
volumes:
  data: {}
`;

/** A pause in a synchronous test (the CLI calls are synchronous too). */
function spinWait(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('compose up and down', () => {
  const e = useCliEngine('tscompose-up-');
  /** A directory with no compose file in or above it. */
  const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-nowhere-'));
  after(() => fs.rmSync(nowhere, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = path.join(e.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const ok = (...args: string[]): { stdout: string; stderr: string } => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  /** Container name → id (all, stopped ones too). */
  const containers = (): Record<string, string> => {
    const out = ok('container', 'ls', '-a', '--no-trunc', '--format', '{{.Names}} {{.ID}}').stdout;
    return Object.fromEntries(
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ') as [string, string]),
    );
  };
  const state = (name: string): string =>
    ok('container', 'inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name).stdout.trim();

  test('up --wait, a no-op re-up, a changed service, scale, orphans, --dry-run, down -v', async () => {
    const file = write('compose.yaml', STACK);
    const f = ['-f', file, '--progress', 'plain'];

    const first = ok(...f, 'up', '-d', '--wait');
    assert.match(first.stderr, /Network stack_default {2}Created/);
    assert.match(first.stderr, /Volume stack_data {2}Created/);
    assert.match(first.stderr, /Container stack-worker-1 {2}Started/);
    assert.match(first.stderr, /Container stack-web-1 {2}Healthy/);
    const c1 = containers();
    assert.deepEqual(Object.keys(c1).sort(), ['stack-migrate-1', 'stack-web-1', 'stack-worker-1']);
    assert.equal(state('stack-migrate-1'), 'exited 0');
    assert.equal(state('stack-worker-1'), 'running 0');
    assert.match(await httpGet(18080), /200 OK[\s\S]*hello/);
    assert.equal(
      ok('container', 'exec', 'stack-worker-1', 'cat', '/data/seen').stdout,
      'migrated\n',
      'the worker started after the migration, on the same volume',
    );
    assert.match(ok('container', 'logs', 'stack-worker-1').stdout, /worker one started/);

    // Nothing changed: nothing is recreated (the exited one-shot is started again, as docker compose does).
    const again = ok(...f, 'up', '-d');
    assert.doesNotMatch(again.stderr, /Recreate|Created/);
    const c2 = containers();
    assert.deepEqual(c2, c1);

    // A changed environment recreates that service alone.
    const changed = e.cliWith({ env: { ...e.env, MODE: 'two' } }, ...f, 'up', '-d', '--wait');
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stderr, /Container stack-worker-1 {2}Recreated/);
    const c3 = containers();
    assert.notEqual(c3['stack-worker-1'], c1['stack-worker-1']);
    assert.equal(c3['stack-web-1'], c1['stack-web-1']);
    assert.equal(c3['stack-migrate-1'], c1['stack-migrate-1']);
    assert.match(ok('container', 'logs', 'stack-worker-1').stdout, /worker two started/);

    // --dry-run prints the plan and changes nothing.
    const dry = ok(...f, '--dry-run', 'up', '-d', '--scale', 'worker=2');
    assert.match(dry.stdout, /^create-container stack-worker-2/m);
    assert.deepEqual(containers(), c3);

    const env2 = { env: { ...e.env, MODE: 'two' } };
    const scaled = e.cliWith(env2, ...f, 'up', '-d', '--scale', 'worker=2');
    assert.equal(scaled.status, 0, scaled.stderr);
    assert.equal(state('stack-worker-2'), 'running 0');
    assert.equal(containers()['stack-worker-1'], c3['stack-worker-1']);
    const down1 = e.cliWith(env2, ...f, 'up', '-d', '--scale', 'worker=1', '-t', '0');
    assert.equal(down1.status, 0, down1.stderr);
    assert.deepEqual(containers(), c3);

    // The worker gone from the file: an orphan, reported, then removed with --remove-orphans.
    const noWorker = write(
      'compose-no-worker.yaml',
      STACK.replace(/ {2}worker:[\s\S]*?(?=volumes:\n {2}data)/, ''),
    );
    const g = ['-f', noWorker, '--progress', 'plain'];
    const orphan = ok(...g, 'up', '-d');
    assert.match(orphan.stderr, /Found orphan containers \(\[stack-worker-1\]\) for this project/);
    assert.ok(containers()['stack-worker-1']);
    ok(...g, 'up', '-d', '--remove-orphans', '-t', '0');
    assert.equal(containers()['stack-worker-1'], undefined);

    // down --dry-run changes nothing; down -v removes everything the project made.
    const dryDown = ok(...f, '--dry-run', 'down', '-v');
    assert.match(dryDown.stdout, /^remove-volume stack_data/m);
    assert.equal(Object.keys(containers()).length, 2);
    // From a directory with no compose file above it: the project by its labels alone.
    const gone = e.cliWith({ cwd: nowhere }, '-p', 'stack', '--progress', 'plain', 'down', '-v', '-t', '0');
    assert.equal(gone.status, 0, gone.stderr);
    assert.match(gone.stderr, /Volume stack_data {2}Removed/);
    assert.match(gone.stderr, /Network stack_default {2}Removed/);
    assert.deepEqual(containers(), {});
    assert.doesNotMatch(ok('network', 'ls').stdout, /stack_default/);
    assert.equal(ok('volume', 'ls', '-q').stdout, '');
    const nothing = e.cliWith({ cwd: nowhere }, '-p', 'stack', 'down');
    assert.equal(nothing.status, 0, nothing.stderr);
    assert.match(nothing.stderr, /No resource found to remove for project "stack"/);
  });

  test('a recreated container keeps its anonymous volume; -V makes a new one and drops the old', () => {
    const file = write(
      'anon.yaml',
      `name: anon
services:
  keep:
    image: busybox
    command: ["sh", "-c", "${loop('test -f /keep/x && echo kept || (echo new; touch /keep/x)')}"]
    volumes: ["/keep"]
    environment: {V: "\${V:-1}"}
`,
    );
    const upWith = (v: string, ...extra: string[]): string => {
      const r = e.cliWith(
        { env: { ...e.env, V: v } },
        '-f',
        file,
        '--progress',
        'quiet',
        'up',
        '-d',
        '-t',
        '0',
        ...extra,
      );
      assert.equal(r.status, 0, r.stderr);
      for (let i = 0; i < 50; i++) {
        const out = e.cli('container', 'logs', 'anon-keep-1').stdout;
        if (out) return out;
        spinWait(100);
      }
      return '';
    };
    assert.equal(upWith('1'), 'new\n');
    assert.equal(upWith('2'), 'kept\n');
    assert.equal(upWith('3', '-V'), 'new\n');
    assert.equal(ok('volume', 'ls', '-q').stdout.split('\n').filter(Boolean).length, 1);
    ok('-f', file, 'down', '-v', '-t', '0');
    assert.equal(ok('volume', 'ls', '-q').stdout, '');
  });

  test('a bad compose file applies nothing: one file:line:col line, exit 15', () => {
    const file = write('bad.yaml', 'services:\n  web:\n    image: busybox\n    ports: ["nope:x"]\n');
    const r = e.cli('-f', file, 'up', '-d');
    assert.equal(r.status, 15, r.stderr);
    assert.match(r.stderr, /^[^\n]*bad\.yaml:4:\d+: [^\n]+\n$/);
    assert.deepEqual(containers(), {});
  });

  test('a failed --wait names the unhealthy service, or the one not ready in --wait-timeout, and exits 1', () => {
    const file = write(
      'sick.yaml',
      `name: sick
services:
  bad:
    image: busybox
    command: ["sh", "-c", "${loop('true')}"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      retries: 1
  slow:
    image: busybox
    command: ["sh", "-c", "${loop('true')}"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      start_period: 1m
    profiles: [slow]
`,
    );
    const r = e.cli('-f', file, '--progress', 'plain', 'up', '-d', '--wait');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /container sick-bad-1 is unhealthy\n$/);
    assert.equal(state('sick-bad-1'), 'running 0');
    const slow = e.cli(
      '-f',
      file,
      '--progress',
      'quiet',
      'up',
      '-d',
      '--wait',
      '--wait-timeout',
      '2',
      'slow',
    );
    assert.equal(slow.status, 1, slow.stderr);
    assert.equal(slow.stderr, 'timeout waiting for sick-slow-1 to be ready\n');
    ok('-f', file, '--profile', 'slow', 'down', '-t', '0');
    assert.deepEqual(containers(), {});
  });

  test('a failed up names what it made and leaves it; down names what it could not remove', () => {
    const file = write(
      'clash.yaml',
      `name: clash
services:
  a:
    image: busybox
    command: ["sleep", "300"]
    ports: ["127.0.0.1:18081:80"]
  b:
    image: busybox
    command: ["sleep", "300"]
    ports: ["127.0.0.1:18081:80"]
    depends_on: [a]
`,
    );
    const r = e.cli('-f', file, '--progress', 'quiet', 'up', '-d');
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /^Error response from daemon: Bind for 127\.0\.0\.1:18081 failed: port is already allocated[^\n]*\nhint: up made or changed Network clash_default, Container clash-a-1, Container clash-b-1 before it stopped and left them as they are\n$/,
    );
    assert.equal(state('clash-a-1'), 'running 0');
    assert.match(state('clash-b-1'), /^(created|exited) /, 'made, its start failed');

    // A container of no project on the project's network keeps the network in place.
    ok(
      'container',
      'run',
      '-d',
      '--name',
      'intruder',
      '--network',
      'clash_default',
      'busybox',
      'sleep',
      '300',
    );
    const d = e.cli('-f', file, '--progress', 'quiet', 'down', '-t', '0');
    assert.equal(d.status, 1);
    assert.match(
      d.stderr,
      /^down could not remove Network clash_default: Error response from daemon: error while removing network: network clash_default has active endpoints \(name:"intruder"[^\n]*\n$/,
    );
    assert.deepEqual(Object.keys(containers()), ['intruder']);
    ok('container', 'rm', '-f', 'intruder');
    ok('-f', file, 'down');
    assert.doesNotMatch(ok('network', 'ls').stdout, /clash_default/);
  });
});
