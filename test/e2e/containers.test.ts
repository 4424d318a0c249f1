/**
 * The container commands end to end: the real CLI, the daemon it starts on demand, real
 * containers. Each test ends with the leak sweep; the daemon is stopped at the end.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { busyboxLayers } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';

describe('container commands through the auto-started daemon', () => {
  const { dir, cli, ids } = useCliEngine();

  test('image import prints the new image id', () => {
    const r = cli('image', 'import', busyboxLayers().layers[0], 'imported');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}$/m);
    assert.equal(cli('image', 'rm', 'imported').status, 0);
  });

  test('run prints the output and exits with the container exit code; --rm removes it', () => {
    const r = cli(
      'container',
      'run',
      '--rm',
      '--name',
      'once',
      'busybox',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    );
    assert.equal(r.status, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.deepEqual(ids(), []);
    assert.equal(cli('engine', 'status').status, 0); // started on demand, still there
  });

  test('flags reach the container: env, user, workdir, hostname, labels', () => {
    const r = cli(
      'container',
      'run',
      '--rm',
      '-e',
      'A=1',
      '-u',
      'app',
      '-w',
      '/tmp',
      '--hostname',
      'h1',
      '-l',
      'x=y',
      'busybox',
      'sh',
      '-c',
      'echo $A $(id -u) $(pwd) $(hostname)',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1 1000 /tmp h1\n');
  });

  test('--security-opt seccomp=<file> loads a Docker JSON profile', () => {
    const profile = path.join(dir, 'no-mkdir.json');
    fs.writeFileSync(
      profile,
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }],
      }),
    );
    const r = cli(
      'container',
      'run',
      '--rm',
      '--security-opt',
      `seccomp=${profile}`,
      'busybox',
      'sh',
      '-c',
      'mkdir /x; echo rc=$?',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'rc=1\n');
    assert.match(r.stderr, /Operation not permitted/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"defaultAction": "SCMP_ACT_NOPE"}');
    const refused = cli('container', 'run', '--rm', '--security-opt', `seccomp=${bad}`, 'busybox', 'true');
    assert.equal(refused.status, 125);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  });

  test('run -d, ls, logs, exec, top, inspect, stop, start, wait, rm', () => {
    const run = cli(
      'container',
      'run',
      '-d',
      '--name',
      'svc',
      '-l',
      'role=test',
      'busybox',
      'sh',
      '-c',
      'echo started; trap "echo stopping; exit 0" TERM; while :; do sleep 0.1; done',
    );
    assert.equal(run.status, 0, run.stderr);
    const id = run.stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);

    const ls = cli('container', 'ls', '--filter', 'label=role=test');
    assert.equal(ls.status, 0, ls.stderr);
    assert.match(
      ls.stdout.split('\n')[0],
      /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/,
    );
    assert.match(ls.stdout, new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s.*Up .*svc$`, 'm'));

    const exec = cli('container', 'exec', '-e', 'B=2', 'svc', 'sh', '-c', 'echo in $B; exit 5');
    assert.equal(exec.status, 5);
    assert.equal(exec.stdout, 'in 2\n');
    assert.equal(cli('container', 'exec', 'svc', 'nosuch').status, 126);

    const top = cli('container', 'top', 'svc');
    assert.equal(top.status, 0, top.stderr);
    assert.match(top.stdout, /^UID\s+PID\s+PPID/);

    const state = cli('container', 'inspect', '--format', '{{.State.Status}}', 'svc');
    assert.equal(state.stdout.trim(), 'running');
    const json = JSON.parse(cli('container', 'inspect', 'svc').stdout) as { Id: string; Name: string }[];
    assert.equal(json[0].Id, id);
    assert.equal(json[0].Name, '/svc');

    assert.equal(cli('container', 'stop', 'svc').status, 0);
    assert.match(cli('container', 'logs', 'svc').stdout, /^started\nstopping\n$/);
    assert.equal(cli('container', 'inspect', '--format', '{{.State.ExitCode}}', 'svc').stdout.trim(), '0');

    assert.equal(cli('container', 'start', 'svc').status, 0);
    assert.equal(cli('container', 'kill', 'svc').status, 0);
    const wait = cli('container', 'wait', 'svc');
    assert.equal(wait.stdout.trim(), '137');
    assert.equal(cli('container', 'rename', 'svc', 'svc2').status, 0);
    const taken = cli('container', 'rename', 'svc2', 'svc2');
    assert.equal(taken.status, 1);
    assert.match(taken.stderr, /same name as its current name/);
    const rm = cli('container', 'rm', 'svc2');
    assert.equal(rm.status, 0, rm.stderr);
    assert.deepEqual(ids(), []);
  });

  test('bad input: a clear one-line error, docker exit codes, nothing created', () => {
    const cases: [string[], number, RegExp][] = [
      [['container', 'run', 'nosuchimage'], 125, /Unable to find image|No such image/],
      [['container', 'run', '--rm', 'busybox', 'nosuch-cmd'], 127, /executable file not found in \$PATH/],
      [['container', 'run', '-u', 'ghost', 'busybox', 'true'], 125, /unable to find user ghost/],
      [
        ['container', 'run', '-v', '/no/such/dir:/x', 'busybox', 'true'],
        125,
        /bind source path does not exist/,
      ],
      [['container', 'run', '-m', 'lots', 'busybox', 'true'], 125, /invalid size/],
      [['container', 'rm', 'ghost'], 1, /No such container: ghost/],
    ];
    for (const [args, status, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      // docker says "Unable to find image 'x:latest' locally" before the pull's own error
      const lines = args.includes('nosuchimage') ? 2 : 1;
      assert.equal(r.stderr.trim().split('\n').length, lines, r.stderr);
    }
    assert.deepEqual(ids(), []);
    const first = cli('container', 'create', '--name', 'taken', 'busybox', 'true');
    assert.equal(first.status, 0, first.stderr);
    const again = cli('container', 'create', '--name', 'taken', 'busybox', 'true');
    assert.equal(again.status, 125);
    assert.match(again.stderr, /is already in use/);
    assert.equal(ids().length, 1);
    cli('container', 'rm', 'taken');
  });
});
