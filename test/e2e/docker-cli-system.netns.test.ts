/**
 * The official docker CLI against the engine for networks, volumes and the system commands, as
 * against dockerd 20.10 (API 1.41): every `network` and `volume` subcommand, `info`, `system df`,
 * `system prune` (and the /build/prune it ends with), `events` with filters and a format; then
 * tscompose's own `system info|df|prune` and `image history`, which print what docker prints.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { busyboxLayers, busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';
import { DOCKER_BIN, dockerCli } from '../helpers/docker-cli';

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('docker CLI: networks, volumes, system', { skip: busyboxMissing() }, () => {
  const engine = useCliEngine('tscompose-dk-sys-');
  const { docker, dockerWith } = dockerCli(engine);
  const skipDocker = !DOCKER_BIN && 'the docker CLI is not installed';
  const ok = (...args: string[]): string => {
    const r = docker(...args);
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const tsc = (...args: string[]): string => {
    const r = engine.cli(...args);
    assert.equal(r.status, 0, `tscompose ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  test(
    'network: create --subnet --gateway --label --internal, ls filters and format, inspect, connect, disconnect, rm, prune',
    { skip: skipDocker },
    () => {
      const id = ok(
        'network',
        'create',
        '--subnet',
        '10.98.0.0/24',
        '--gateway',
        '10.98.0.1',
        '--label',
        'a=b',
        '--internal',
        'dk-n1',
      ).trim();
      assert.match(id, /^[0-9a-f]{64}$/);
      ok('network', 'create', 'dk-n2');
      const [row] = jsonLines(ok('network', 'ls', '--filter', 'label=a=b', '--format', '{{json .}}'));
      assert.deepEqual(Object.keys(row).sort(), [
        'CreatedAt',
        'Driver',
        'ID',
        'IPv4',
        'IPv6',
        'Internal',
        'Labels',
        'Name',
        'Scope',
      ]);
      assert.deepEqual(
        [row.ID, row.Name, row.Driver, row.Internal, row.Labels],
        [id.slice(0, 12), 'dk-n1', 'bridge', 'true', 'a=b'],
      );
      assert.equal(ok('network', 'ls', '--filter', 'type=custom', '--format', '{{.Name}}'), 'dk-n1\ndk-n2\n');
      assert.equal(ok('network', 'ls', '-q', '--filter', 'name=dk-n2').trim().length, 12);
      assert.equal(
        ok('network', 'inspect', '-f', '{{json .IPAM}} {{json .Labels}} {{.Internal}}', 'dk-n1').trim(),
        '{"Driver":"default","Options":{},"Config":[{"Subnet":"10.98.0.0/24","Gateway":"10.98.0.1"}]} {"a":"b"} true',
      );
      const cid = ok('create', '--name', 'dk-c1', '--network', 'dk-n1', 'busybox', 'true').trim();
      ok('network', 'connect', 'dk-n2', 'dk-c1');
      assert.equal(ok('network', 'inspect', '-f', '{{len .Containers}}', 'dk-n2').trim(), '0'); // not running
      assert.match(ok('inspect', '-f', '{{json .NetworkSettings.Networks}}', 'dk-c1'), /"dk-n2"/);
      ok('network', 'disconnect', 'dk-n2', 'dk-c1');
      const again = docker('network', 'disconnect', 'dk-n2', 'dk-c1');
      assert.equal(again.status, 1);
      assert.equal(
        again.stderr,
        `Error response from daemon: container ${cid} is not connected to the network dk-n2\n`,
      );
      const missing = docker('network', 'inspect', 'dk-nope');
      assert.equal(missing.status, 1);
      assert.equal(missing.stderr, 'Error response from daemon: network dk-nope not found\n');
      const rm = docker('network', 'rm', 'dk-n1', 'dk-nope');
      assert.equal(rm.status, 1);
      assert.equal(rm.stdout, 'dk-n1\n');
      assert.equal(ok('network', 'prune', '-f', '--filter', 'until=1h'), ''); // nothing that old
      assert.equal(ok('network', 'prune', '-f'), 'Deleted Networks:\ndk-n2\n\n');
      ok('rm', 'dk-c1');
    },
  );

  test(
    'volume: create, ls with filters and format, inspect, rm, prune (API 1.41: every unused volume)',
    { skip: skipDocker },
    () => {
      assert.equal(ok('volume', 'create', 'dk-v1'), 'dk-v1\n');
      ok('volume', 'create', '--label', 'k=v', '-d', 'local', 'dk-v2');
      const rows = jsonLines(ok('volume', 'ls', '--format', '{{json .}}'));
      assert.deepEqual(Object.keys(rows[0]).sort(), [
        'Availability',
        'Driver',
        'Group',
        'Labels',
        'Links',
        'Mountpoint',
        'Name',
        'Scope',
        'Size',
        'Status',
      ]);
      assert.deepEqual(
        rows.map((r) => r.Name),
        ['dk-v1', 'dk-v2'],
      );
      assert.equal(ok('volume', 'ls', '-q', '--filter', 'label=k=v'), 'dk-v2\n');
      const [v2] = JSON.parse(ok('volume', 'inspect', 'dk-v2')) as Record<string, unknown>[];
      assert.deepEqual(Object.keys(v2), [
        'CreatedAt',
        'Driver',
        'Labels',
        'Mountpoint',
        'Name',
        'Options',
        'Scope',
      ]);
      assert.deepEqual(v2.Labels, { k: 'v' });
      const missing = docker('volume', 'inspect', 'dk-nope');
      assert.equal(missing.status, 1);
      assert.equal(missing.stderr, 'Error response from daemon: get dk-nope: no such volume\n');
      assert.equal(ok('volume', 'rm', 'dk-v1'), 'dk-v1\n');
      assert.equal(docker('volume', 'rm', 'dk-nope').status, 1);
      ok('create', '--name', 'dk-user', '-v', 'dk-used:/data', 'busybox', 'true');
      // dockerd at 1.41 prunes named volumes too; one a container uses stays.
      assert.equal(ok('volume', 'prune', '-f'), 'Deleted Volumes:\ndk-v2\n\nTotal reclaimed space: 0B\n');
      assert.equal(ok('volume', 'ls', '-q'), 'dk-used\n');
      const all = docker('volume', 'prune', '-f', '-a');
      assert.equal(all.status, 1);
      assert.match(
        all.stderr,
        /"--all" requires API version 1\.42, but the Docker daemon API version is 1\.41/,
      );
      ok('rm', '-v', 'dk-user');
      ok('volume', 'rm', 'dk-used');
    },
  );

  test("info and system df: docker's fields for what the engine has", { skip: skipDocker }, () => {
    ok('create', '--name', 'dk-df', '-v', 'dk-dfv:/data', 'busybox', 'true');
    const info = JSON.parse(ok('info', '--format', '{{json .}}')) as Record<string, unknown>;
    for (const key of [
      'ID',
      'Containers',
      'ContainersRunning',
      'ContainersPaused',
      'ContainersStopped',
      'Images',
      'Driver',
      'CgroupDriver',
      'CgroupVersion',
      'KernelVersion',
      'OperatingSystem',
      'NCPU',
      'MemTotal',
      'Name',
      'ServerVersion',
      'DockerRootDir',
      'Plugins',
    ])
      assert.ok(key in info, key);
    assert.deepEqual(
      [info.Containers, info.ContainersStopped, info.Images, info.Driver, info.DockerRootDir],
      [1, 1, 1, 'overlay2', engine.root],
    );
    assert.equal(info.ServerErrors, undefined);
    const text = ok('info');
    assert.match(text, /\n Storage Driver: overlay2\n/);
    assert.match(text, /\n Containers: 1\n {2}Running: 0\n {2}Paused: 0\n {2}Stopped: 1\n Images: 1\n/);

    const df = ok('system', 'df').split('\n');
    assert.match(df[0], /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    assert.match(df[1], /^Images\s+1\s+1\s+1\.98\dMB\s+0B \(0%\)$/);
    assert.match(df[2], /^Containers\s+1\s+0\s+0B\s+0B$/);
    assert.match(df[3], /^Local Volumes\s+1\s+1\s+0B\s+0B$/);
    assert.match(df[4], /^Build Cache\s+0\s+0\s+0B\s+0B$/);
    const verbose = ok('system', 'df', '-v');
    assert.match(
      verbose,
      /^Images space usage:\n\nREPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\s+SHARED SIZE\s+UNIQUE SIZE\s+CONTAINERS\nbusybox\s+latest\s+/,
    );
    assert.match(verbose, /\nLocal Volumes space usage:\n\nVOLUME NAME\s+LINKS\s+SIZE\ndk-dfv\s+1\s+0B\n/);
    assert.match(verbose, /\sdk-df\n/);
    const rows = jsonLines(ok('system', 'df', '--format', '{{json .}}'));
    assert.deepEqual(
      rows.map((r) => r.Type),
      ['Images', 'Containers', 'Local Volumes', 'Build Cache'],
    );
    ok('rm', '-v', 'dk-df');
    ok('volume', 'rm', 'dk-dfv');
  });

  test(
    'system prune: stopped containers, unused networks, dangling images; -a --volumes; build cache asked',
    { skip: skipDocker },
    () => {
      const cid = ok('create', 'busybox', 'true').trim();
      ok('network', 'create', 'dk-pn');
      ok('volume', 'create', 'dk-pv');
      ok('import', busyboxLayers().layers[0]);
      const out = ok('system', 'prune', '-f');
      assert.match(
        out,
        new RegExp(
          `^Deleted Containers:\n${cid}\n\nDeleted Networks:\ndk-pn\n\nDeleted Images:\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: `,
        ),
      );
      assert.equal(ok('volume', 'ls', '-q'), 'dk-pv\n');
      ok('tag', 'busybox', 'dk-pi:1');
      const all = ok('system', 'prune', '-a', '-f', '--volumes');
      assert.match(
        all,
        /^Deleted Volumes:\ndk-pv\n\nDeleted Images:\nuntagged: busybox:latest\nuntagged: dk-pi:1\n/,
      );
      assert.equal(ok('images', '-q'), '');
      const busybox = engine.cli('image', 'import', busyboxLayers().layers[0], 'busybox');
      assert.equal(busybox.status, 0, busybox.stderr);
    },
  );

  test(
    "events: images, networks, volumes in docker's names, --filter and --format",
    { skip: skipDocker },
    async () => {
      const since = String(Math.floor(Date.now() / 1000));
      ok('network', 'create', 'dk-en');
      ok('volume', 'create', 'dk-ev');
      ok('tag', 'busybox', 'dk-et:1');
      ok('rmi', 'dk-et:1');
      ok('network', 'rm', 'dk-en');
      ok('volume', 'rm', 'dk-ev');
      await new Promise((r) => setTimeout(r, 1100));
      const until = String(Math.floor(Date.now() / 1000));
      const all = ok(
        'events',
        '--since',
        since,
        '--until',
        until,
        '--format',
        '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}',
      );
      // A busybox import ending the test before may fall in the window: only this test's lines.
      const own = all.split('\n').filter((l) => !/^image (import |tag busybox$)/.test(l));
      assert.equal(
        own.join('\n'),
        [
          'network create dk-en',
          'volume create <no value>',
          'image tag dk-et:1',
          `image untag ${ok('image', 'inspect', '-f', '{{.Id}}', 'busybox').trim()}`,
          'network destroy dk-en',
          'volume destroy <no value>',
          '',
        ].join('\n'),
      );
      const volumes = jsonLines(
        ok('events', '--since', since, '--until', until, '--filter', 'type=volume', '--format', '{{json .}}'),
      );
      assert.deepEqual(
        volumes.map((e) => [e.Action, (e.Actor as { ID: string }).ID]),
        [
          ['create', 'dk-ev'],
          ['destroy', 'dk-ev'],
        ],
      );
      assert.equal(
        ok(
          'events',
          '--since',
          since,
          '--until',
          until,
          '--filter',
          'network=dk-en',
          '--format',
          '{{.Action}}',
        ),
        'create\ndestroy\n',
      );
      const bad = docker('events', '--since', since, '--until', until, '--filter', 'bogus=1');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /invalid filter 'bogus'/);
    },
  );

  test('tscompose image history and system info|df|prune print what docker prints', () => {
    tsc('image', 'import', busyboxLayers().layers[0], 'ts-hist:1');
    const history = tsc('image', 'history', 'ts-hist:1').split('\n');
    assert.match(history[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    assert.match(history[1], /^[0-9a-f]{12}\s+.* ago\s+1\.98MB\s+Imported from -$/);
    assert.match(tsc('image', 'history', '-q', '--no-trunc', 'ts-hist:1'), /^sha256:[0-9a-f]{64}\n$/);
    assert.match(
      tsc('image', 'history', '-H=false', 'ts-hist:1').split('\n')[1],
      /\s\d{4}-\d\d-\d\dT[\d:]+Z\s+\d+\s+Imported from -$/,
    );
    const bad = engine.cli('image', 'history', '-H=maybe', 'ts-hist:1');
    assert.equal(bad.status, 125);
    assert.match(bad.stderr, /invalid argument "maybe" for "-H, --human" flag/);
    const info = JSON.parse(tsc('system', 'info', '--format', '{{json .}}')) as {
      Driver: string;
      Images: number;
    };
    assert.deepEqual([info.Driver, info.Images], ['overlay2', 2]);
    assert.match(
      tsc('system', 'info'),
      /\nServer:\n Containers: 0\n {2}Running: 0\n {2}Paused: 0\n {2}Stopped: 0\n Images: 2\n/,
    );
    assert.match(tsc('system', 'df').split('\n')[1], /^Images\s+2\s+0\s+/);
    if (DOCKER_BIN) {
      for (const args of [
        ['history', 'ts-hist:1'],
        ['history', '--no-trunc', '--format', '{{json .}}', 'ts-hist:1'],
        ['system', 'df'],
        ['system', 'df', '-v'],
      ]) {
        const ours = engine.cli(...(args[0] === 'history' ? ['image', ...args] : args));
        const theirs = dockerWith({}, ...args);
        // CREATED may tick between the two calls.
        const same = (s: string) => s.replace(/\d+ seconds? ago|Less than a second ago/g, 'N ago');
        assert.equal(same(ours.stdout), same(theirs.stdout), args.join(' '));
      }
    }
    const pruned = tsc('system', 'prune', '-a', '-f');
    assert.match(pruned, /^Deleted Images:\nuntagged: busybox:latest\n/);
    assert.match(pruned, /untagged: ts-hist:1\n/);
    const busybox = engine.cli('image', 'import', busyboxLayers().layers[0], 'busybox');
    assert.equal(busybox.status, 0, busybox.stderr);
  });
});
