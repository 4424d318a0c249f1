/**
 * The typed stage: every unit family parsed at load, and each bad value refused with one line
 * naming the file, line and column where it was written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ComposeError } from '../../../src/common/errors';
import { loadProject } from '../../../src/compose-model/loader';
import { tmpProject } from '../../helpers/project';

const svc = (body: string) => `services:\n  web:\n    image: busybox\n${body}`;

test('units typed at load: sizes, durations, cpus, ports, ulimits, restart, booleans', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml': svc(
      [
        '    mem_limit: 64m',
        '    memswap_limit: -1',
        '    shm_size: "1.5GiB"',
        '    cpus: "0.5"',
        '    cpu_rt_runtime: 400ms',
        '    stop_grace_period: 1m30s',
        '    privileged: "true"',
        '    pids_limit: "100"',
        '    restart: on-failure:3',
        '    ports: ["127.0.0.1:8080:80/udp", {target: "81", published: 9090}]',
        '    ulimits:',
        '      nproc: 65535',
        '      nofile: {soft: 1024, hard: "2048"}',
        '    healthcheck: {test: "true", interval: 500ms, retries: "2"}',
        '    volumes: [{type: tmpfs, target: /t, tmpfs: {size: 10k}}]',
        '    deploy: {resources: {limits: {cpus: "1.5", memory: 1g}}, restart_policy: {delay: 5s}}',
        '    blkio_config: {device_read_bps: [{path: /dev/sda, rate: 1mb}]}',
        '',
      ].join('\n'),
    ),
  });
  const s = loadProject({ workingDir: dir, environment: {}, projectName: 'p' }).services.web;
  assert.equal(s.memLimit, 64 * 1024 ** 2);
  assert.equal(s.memswapLimit, -1);
  assert.equal(s.shmSize, 1.5 * 1024 ** 3);
  assert.equal(s.cpus, 0.5);
  assert.equal(s.cpuRtRuntime, 400_000);
  assert.equal(s.stopGracePeriod, 90e9);
  assert.equal(s.privileged, true);
  assert.equal(s.pidsLimit, 100);
  assert.deepEqual(s.restart, { name: 'on-failure', maximumRetryCount: 3 });
  assert.deepEqual(s.ports, [
    { mode: 'ingress', hostIp: '127.0.0.1', target: 80, published: '8080', protocol: 'udp' },
    { mode: 'ingress', target: 81, published: '9090', protocol: 'tcp' },
  ]);
  assert.deepEqual(s.ulimits, { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 1024, hard: 2048 } });
  assert.deepEqual(s.healthcheck, { test: ['CMD-SHELL', 'true'], interval: 500e6, retries: 2 });
  assert.equal(s.volumes?.[0].tmpfs?.size, 10240);
  assert.deepEqual(s.deploy?.resources?.limits, { cpus: 1.5, memory: 1024 ** 3 });
  assert.equal(s.deploy?.restartPolicy?.delay, 5e9);
  assert.deepEqual(s.blkioConfig?.deviceReadBps, [{ path: '/dev/sda', rate: 1024 ** 2 }]);
  assert.deepEqual(s.networks, { default: {} });
});

test('the typed project beside the tree: resources named, profiles-disabled services typed too', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml': [
      'services:',
      '  web: {image: busybox, x-note: hi}',
      '  tool: {image: busybox, profiles: [debug], mem_limit: 1k}',
      'volumes: {data: {}, old: {external: true}}',
      'networks: {back: {internal: "true", ipam: {config: [{subnet: 10.1.0.0/16}]}}}',
      'secrets: {token: {file: ./token}}',
      'configs: {conf: {content: hello}}',
      '',
    ].join('\n'),
  });
  const p = loadProject({ workingDir: dir, environment: {}, projectName: 'p' });
  assert.deepEqual(Object.keys(p.services), ['web']);
  assert.deepEqual(p.services.web.extensions, { 'x-note': 'hi' });
  assert.equal(p.disabled.tool.memLimit, 1024);
  assert.deepEqual(p.volumes, { data: { name: 'p_data' }, old: { name: 'old', external: true } });
  assert.deepEqual(p.networks.back, {
    name: 'p_back',
    internal: true,
    ipam: { config: [{ subnet: '10.1.0.0/16' }] },
  });
  assert.deepEqual(p.networks.default, { name: 'p_default' });
  assert.deepEqual(p.secrets.token, { name: 'p_token', file: path.join(dir, 'token') });
  assert.deepEqual(p.configs.conf, { name: 'p_conf', content: 'hello' });
  assert.equal((p.model.services as Record<string, { mem_limit?: unknown }>).web.mem_limit, undefined);
});

interface Bad {
  body: string;
  at: [number, number];
  message: string;
  file?: string;
}

const BAD: Record<string, Bad> = {
  'size: mem_limit': {
    body: '    mem_limit: lots\n',
    at: [4, 5],
    message: "services.web.mem_limit: invalid size: 'lots'",
  },
  'size: shm_size': {
    body: '    shm_size: 1x\n',
    at: [4, 5],
    message: "services.web.shm_size: invalid size: '1x'",
  },
  'size: tmpfs size': {
    body: '    volumes:\n      - type: tmpfs\n        target: /t\n        tmpfs:\n          size: huge\n',
    at: [8, 11],
    message: "services.web.volumes[0].tmpfs.size: invalid size: 'huge'",
  },
  'size: deploy memory': {
    body: '    deploy:\n      resources:\n        limits:\n          memory: much\n',
    at: [7, 11],
    message: "services.web.deploy.resources.limits.memory: invalid size: 'much'",
  },
  cpus: {
    body: '    cpus: many\n',
    at: [4, 5],
    message: 'services.web.cpus: strconv.ParseFloat: parsing "many": invalid syntax',
  },
  'cpus: deploy limit': {
    body: '    deploy: {resources: {limits: {cpus: all}}}\n',
    at: [4, 35],
    message: 'services.web.deploy.resources.limits.cpus: strconv.ParseFloat: parsing "all": invalid syntax',
  },
  'duration: stop_grace_period': {
    body: '    stop_grace_period: soon\n',
    at: [4, 5],
    message: 'services.web.stop_grace_period: time: invalid duration "soon"',
  },
  'duration: healthcheck interval': {
    body: '    healthcheck:\n      test: "true"\n      interval: "10"\n',
    at: [6, 7],
    message: 'services.web.healthcheck.interval: time: missing unit in duration "10"',
  },
  'duration: deploy restart delay': {
    body: '    deploy:\n      restart_policy:\n        delay: 1d\n',
    at: [6, 9],
    message: 'services.web.deploy.restart_policy.delay: time: unknown unit "d" in duration "1d"',
  },
  'restart: unknown policy': {
    body: '    restart: sometimes\n',
    at: [4, 5],
    message:
      "services.web.restart: invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
  },
  'restart: bad count': {
    body: '    restart: on-failure:x\n',
    at: [4, 5],
    message:
      'services.web.restart: invalid restart policy format: maximum retry count must be a non-negative integer',
  },
  'restart: count without on-failure': {
    body: '    restart: always:3\n',
    at: [4, 5],
    message:
      "services.web.restart: invalid restart policy: maximum retry count can only be used with 'on-failure'",
  },
  'port: long form target': {
    body: '    ports:\n      - target: lots\n',
    at: [5, 9],
    message: 'services.web.ports[0].target: strconv.ParseInt: parsing "lots": invalid syntax',
  },
  'port: out of range': {
    body: '    ports:\n      - target: 70000\n',
    at: [5, 9],
    message: 'services.web.ports[0].target: invalid port 70000: must be between 0 and 65535',
  },
  'ulimit: not a number': {
    body: '    ulimits:\n      nofile: lots\n',
    at: [5, 7],
    message: 'services.web.ulimits.nofile: strconv.ParseInt: parsing "lots": invalid syntax',
  },
  'ulimit: soft above hard': {
    body: '    ulimits:\n      nofile:\n        soft: 20\n        hard: 10\n',
    at: [5, 7],
    message:
      'services.web.ulimits.nofile: ulimit soft limit must be less than or equal to hard limit: 20 > 10',
  },
  boolean: {
    body: '    privileged: "maybe"\n',
    at: [4, 5],
    message: 'services.web.privileged: strconv.ParseBool: parsing "maybe": invalid syntax',
  },
  integer: {
    body: '    pids_limit: "some"\n',
    at: [4, 5],
    message: 'services.web.pids_limit: strconv.ParseInt: parsing "some": invalid syntax',
  },
  'an interpolated value, located where the variable is written': {
    body: '    mem_limit: ${MEM}\n',
    at: [4, 5],
    message: "services.web.mem_limit: invalid size: 'lots'",
  },
  'a bad value in an override file is located there': {
    body: '',
    file: 'compose.override.yaml',
    at: [3, 5],
    message: 'services.web.stop_grace_period: time: invalid duration "soon"',
  },
};

for (const [name, c] of Object.entries(BAD)) {
  test(`bad unit: ${name}`, (t) => {
    const files: Record<string, string> = { 'compose.yaml': svc(c.body) };
    if (c.file) files[c.file] = 'services:\n  web:\n    stop_grace_period: soon\n';
    const dir = tmpProject(t, files);
    let err: unknown;
    try {
      loadProject({ workingDir: dir, environment: { MEM: 'lots' } });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
    const [line, col] = c.at;
    assert.equal(err.message, `${path.join(dir, c.file ?? 'compose.yaml')}:${line}:${col}: ${c.message}`);
    assert.equal(err.exitCode, 15);
  });
}

test('without interpolation the typed stage is left out: `${VAR}` is no size yet', (t) => {
  const dir = tmpProject(t, { 'compose.yaml': svc('    mem_limit: ${MEM}\n') });
  const p = loadProject({ workingDir: dir, environment: {}, interpolate: false });
  assert.deepEqual(p.services, {});
  assert.equal((p.model.services as Record<string, Record<string, unknown>>).web.mem_limit, '${MEM}');
});

test('every form the spec allows is typed, not refused: list_or_dict, host maps, hook commands, yes/on', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml': svc(
      [
        '    privileged: "on"',
        '    read_only: "no"',
        '    cpu_percent: 50',
        '    build: {context: ., extra_hosts: {db: 10.0.0.2}, labels: [a=b, c]}',
        '    post_start: [{command: "echo \'hi there\'", environment: [A=1, B]}]',
        '    volumes: [{type: volume, source: v, target: /v, volume: {labels: [x=y]}}]',
        'volumes: {v: {}}',
        '',
      ].join('\n'),
    ),
  });
  const s = loadProject({ workingDir: dir, environment: {}, projectName: 'p' }).services.web;
  assert.equal(s.privileged, true);
  assert.equal(s.readOnly, false);
  assert.equal(s.cpuPercent, 50);
  assert.deepEqual(s.build?.extraHosts, ['db=10.0.0.2']);
  assert.deepEqual(s.build?.labels, { a: 'b', c: '' });
  assert.deepEqual(s.postStart, [{ command: ['echo', 'hi there'], environment: { A: '1', B: null } }]);
  assert.deepEqual(s.volumes?.[0].volume, { labels: { x: 'y' } });
});
