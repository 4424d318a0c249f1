/**
 * The volume commands end to end through the real CLI and its daemon: create, ls (table, -q,
 * filters, format), inspect, rm (in use, missing), prune, and `run -v`, `--mount` and
 * `--volumes-from` with docker's output and errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';

describe('volume commands', { skip: busyboxMissing() }, () => {
  const { cli } = useCliEngine('tscompose-e2e-vol-');
  const ok = (...args: string[]): string => {
    const r = cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  test('create, ls, inspect, rm with docker output; in use refused naming the container', () => {
    assert.equal(ok('volume', 'create', '--label', 'team=a', 'v1'), 'v1\n');
    assert.equal(
      ok(
        'volume',
        'create',
        '-d',
        'local',
        '-o',
        'type=tmpfs',
        '-o',
        'device=tmpfs',
        '-o',
        'o=size=1m',
        'v2',
      ),
      'v2\n',
    );
    const anon = ok('volume', 'create').trim();
    assert.match(anon, /^[0-9a-f]{64}$/);
    const table = ok('volume', 'ls').split('\n').filter(Boolean);
    assert.match(table[0], /^DRIVER\s+VOLUME NAME$/);
    assert.deepEqual(
      table.slice(1).map((l) => l.split(/\s+/)),
      [
        ['local', anon],
        ['local', 'v1'],
        ['local', 'v2'],
      ],
    );
    assert.equal(ok('volume', 'ls', '-q', '--filter', 'label=team=a'), 'v1\n');
    assert.equal(ok('volume', 'ls', '--format', '{{.Name}} {{.Labels}}', '-f', 'name=v1'), 'v1 team=a\n');
    assert.equal(ok('volume', 'inspect', '-f', '{{.Options.type}} {{.Scope}}', 'v2'), 'tmpfs local\n');

    const id = ok(
      'container',
      'run',
      '-d',
      '-v',
      'v1:/data',
      'busybox',
      'sh',
      '-c',
      'echo hi > /data/f; sleep 60',
    ).trim();
    const busy = cli('volume', 'rm', 'v1');
    assert.equal(busy.status, 1);
    assert.equal(busy.stderr.trim(), `Error response from daemon: remove v1: volume is in use - [${id}]`);
    assert.equal(
      ok('container', 'run', '--rm', '--volumes-from', `${id}:ro`, 'busybox', 'cat', '/data/f'),
      'hi\n',
    );
    ok('container', 'rm', '-f', id);
    assert.equal(
      ok('container', 'run', '--rm', '--mount', 'src=v1,dst=/d,readonly', 'busybox', 'cat', '/d/f'),
      'hi\n',
    );
    assert.equal(ok('volume', 'rm', 'v1', 'v2', anon), `v1\nv2\n${anon}\n`);

    const missing = cli('volume', 'inspect', 'nope');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no such volume/);
    const rmMissing = cli('volume', 'rm', 'nope');
    assert.equal(rmMissing.stderr.trim(), 'Error response from daemon: get nope: no such volume');
    assert.equal(ok('volume', 'rm', '-f', 'nope'), 'nope\n');
  });

  test('bad names and options are one clear error; prune says what it removed', () => {
    const bad = cli('volume', 'create', '../x');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /"\.\.\/x" includes invalid characters for a local volume name/);
    const badRun = cli('container', 'run', '--rm', '-v', 'a/b:/d', 'busybox', 'true');
    assert.notEqual(badRun.status, 0);
    assert.match(badRun.stderr, /includes invalid characters/);
    assert.match(cli('volume', 'create', '-o', 'size=1', 'vx').stderr, /invalid option: "size"/);

    ok('volume', 'create', 'named');
    ok('container', 'run', '-v', '/anon', '--name', 'keeper', 'busybox', 'true');
    ok('container', 'rm', 'keeper'); // without -v: its anonymous volume stays for prune
    ok('container', 'run', '-v', '/anon2', '--name', 'gone', 'busybox', 'true');
    const before = ok('volume', 'ls', '-q').split('\n').filter(Boolean).length;
    ok('container', 'rm', '-v', 'gone'); // with -v: its anonymous volume goes with it
    assert.equal(ok('volume', 'ls', '-q').split('\n').filter(Boolean).length, before - 1);
    const pruned = ok('volume', 'prune', '-f').split('\n');
    assert.equal(pruned[0], 'Deleted Volumes:');
    assert.match(pruned[1], /^[0-9a-f]{64}$/);
    assert.match(
      ok('volume', 'prune', '-f', '-a'),
      /^Deleted Volumes:\nnamed\n\nTotal reclaimed space: 0B\n$/,
    );
    assert.equal(ok('volume', 'ls', '-q'), '');
  });
});
