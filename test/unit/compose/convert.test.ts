/**
 * convert: compose files written inline, loaded by the real loader, → the create bodies the
 * engine gets (compared as they go on the wire: JSON, undefined members gone).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProject } from '../../../src/compose-model/loader';
import { serviceConfigHash } from '../../../src/compose-model/config-hash';
import { containerCreateBody, type ContainerCreateOptions } from '../../../src/compose/convert';
import { networkCreateBody, volumeCreateBody } from '../../../src/compose/convert-resources';
import { COMPOSE_LABEL_VERSION, LABEL } from '../../../src/planner/labels';
import { tmpProject } from '../../helpers/project';

type T = Parameters<typeof tmpProject>[0];
const wire = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

function load(t: T, yaml: string, files: Record<string, string> = {}) {
  const dir = tmpProject(t, { 'compose.yaml': yaml, ...files });
  return { dir, project: loadProject({ workingDir: dir, environment: { FROM_OS: 'os' }, projectName: 'p' }) };
}

function convert(t: T, yaml: string, service = 'web', number = 1, opts: ContainerCreateOptions = {}) {
  const { dir, project } = load(t, yaml);
  const out = containerCreateBody(project, project.services[service], number, opts);
  return { dir, project, name: out.name, body: wire(out.body), warnings: out.warnings };
}

test('a simple service: image, command, env, labels, the default network with the service alias', (t) => {
  const { dir, project, name, body } = convert(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    command: ["sh", "-c", "echo hi"]',
      '    environment:',
      '      B: two',
      '      A: one',
      '      FROM_OS:',
      '      UNSET:',
      '    labels: {mine: yes}',
      '',
    ].join('\n'),
  );
  assert.equal(name, 'p-web-1');
  assert.deepEqual(body, {
    Image: 'busybox',
    Cmd: ['sh', '-c', 'echo hi'],
    Env: ['A=one', 'B=two', 'FROM_OS=os'],
    Labels: {
      mine: 'yes',
      [LABEL.project]: 'p',
      [LABEL.service]: 'web',
      [LABEL.version]: COMPOSE_LABEL_VERSION,
      [LABEL.workingDir]: dir,
      [LABEL.configFiles]: path.join(dir, 'compose.yaml'),
      [LABEL.oneoff]: 'False',
      [LABEL.containerNumber]: '1',
      [LABEL.configHash]: serviceConfigHash(
        (project.model.services as Record<string, Record<string, unknown>>).web,
      ),
      [LABEL.dependsOn]: '',
    },
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { NetworkMode: 'p_default' },
    NetworkingConfig: { EndpointsConfig: { p_default: { Aliases: ['web'] } } },
  });
});

test('the container settings: entrypoint, user, dirs, tty, stop, healthcheck in ns, ports, restart, resources', (t) => {
  const { body } = convert(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    entrypoint: /bin/sh -c',
      '    user: "1000:1000"',
      '    working_dir: /srv',
      '    hostname: h',
      '    domainname: example.test',
      '    tty: true',
      '    stdin_open: true',
      '    stop_signal: SIGINT',
      '    stop_grace_period: 1m30s',
      '    healthcheck: {test: "wget -q localhost", interval: 500ms, timeout: 2s, retries: 3, start_period: 1s}',
      '    expose: ["3000", "4000-4001/udp"]',
      '    ports: ["127.0.0.1:8080:80", "9090:90/udp", "91"]',
      '    restart: on-failure:3',
      '    mem_limit: 64m',
      '    memswap_limit: 128m',
      '    mem_reservation: 32m',
      '    cpus: 0.5',
      '    cpu_shares: 512',
      '    cpu_quota: 50000',
      '    cpu_period: 100000',
      '    cpuset: "0"',
      '    pids_limit: 100',
      '    oom_kill_disable: true',
      '    ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}',
      '    cap_add: [NET_ADMIN]',
      '    cap_drop: [MKNOD]',
      '    privileged: true',
      '    security_opt: ["no-new-privileges:true"]',
      '    sysctls: {net.core.somaxconn: "1024"}',
      '    dns: [10.0.0.1]',
      '    dns_search: [example.test]',
      '    dns_opt: [ndots:2]',
      '    extra_hosts: {somehost: 10.0.0.2}',
      '    group_add: [audio]',
      '    init: true',
      '    read_only: true',
      '    shm_size: 128m',
      '    logging: {driver: json-file, options: {max-size: 1m}}',
      '    tmpfs: ["/run:size=64m", /tmp]',
      '',
    ].join('\n'),
  );
  assert.deepEqual(body.Entrypoint, ['/bin/sh', '-c']);
  assert.equal(body.User, '1000:1000');
  assert.equal(body.WorkingDir, '/srv');
  assert.equal(body.Hostname, 'h');
  assert.equal(body.Domainname, 'example.test');
  assert.equal(body.Tty, true);
  assert.equal(body.OpenStdin, true);
  assert.equal(body.StdinOnce, undefined, 'stdin closes after the attach only when run attaches it');
  assert.equal(body.StopSignal, 'SIGINT');
  assert.equal(body.StopTimeout, 90);
  assert.deepEqual(body.Healthcheck, {
    Test: ['CMD-SHELL', 'wget -q localhost'],
    Interval: 500e6,
    Timeout: 2e9,
    Retries: 3,
    StartPeriod: 1e9,
  });
  assert.deepEqual(Object.keys(body.ExposedPorts ?? {}).sort(), [
    '3000/tcp',
    '4000/udp',
    '4001/udp',
    '80/tcp',
    '90/udp',
    '91/tcp',
  ]);
  const hc = body.HostConfig ?? {};
  assert.deepEqual(hc.PortBindings, {
    '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
    '90/udp': [{ HostIp: '', HostPort: '9090' }],
    '91/tcp': [{ HostIp: '', HostPort: '' }],
  });
  assert.deepEqual(hc.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(hc.Memory, 64 * 1024 ** 2);
  assert.equal(hc.MemorySwap, 128 * 1024 ** 2);
  assert.equal(hc.MemoryReservation, 32 * 1024 ** 2);
  assert.equal(hc.NanoCpus, 5e8);
  assert.equal(hc.CpuShares, 512);
  assert.equal(hc.CpuQuota, 50000);
  assert.equal(hc.CpuPeriod, 100000);
  assert.equal(hc.CpusetCpus, '0');
  assert.equal(hc.PidsLimit, 100);
  assert.equal(hc.OomKillDisable, true);
  assert.deepEqual(hc.Ulimits, [
    { Name: 'nofile', Soft: 1024, Hard: 2048 },
    { Name: 'nproc', Soft: 65535, Hard: 65535 },
  ]);
  assert.deepEqual(hc.CapAdd, ['NET_ADMIN']);
  assert.deepEqual(hc.CapDrop, ['MKNOD']);
  assert.equal(hc.Privileged, true);
  assert.deepEqual(hc.SecurityOpt, ['no-new-privileges:true']);
  assert.deepEqual(hc.Sysctls, { 'net.core.somaxconn': '1024' });
  assert.deepEqual(hc.Dns, ['10.0.0.1']);
  assert.deepEqual(hc.DnsSearch, ['example.test']);
  assert.deepEqual(hc.DnsOptions, ['ndots:2']);
  assert.deepEqual(hc.ExtraHosts, ['somehost:10.0.0.2']);
  assert.deepEqual(hc.GroupAdd, ['audio']);
  assert.equal(hc.Init, true);
  assert.equal(hc.ReadonlyRootfs, true);
  assert.equal(hc.ShmSize, 128 * 1024 ** 2);
  assert.deepEqual(hc.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m' } });
  assert.deepEqual(hc.Tmpfs, { '/run': 'size=64m', '/tmp': '' });
});

test('deploy: resource limits over the service keys, restart_policy over restart', (t) => {
  const { body } = convert(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    mem_limit: 64m',
      '    cpus: 2',
      '    restart: always',
      '    deploy:',
      '      resources: {limits: {cpus: "0.25", memory: 32m, pids: 10}, reservations: {memory: 16m}}',
      '      restart_policy: {condition: on-failure, max_attempts: 2}',
      '',
    ].join('\n'),
  );
  const hc = body.HostConfig ?? {};
  assert.equal(hc.Memory, 32 * 1024 ** 2);
  assert.equal(hc.NanoCpus, 25e7);
  assert.equal(hc.PidsLimit, 10);
  assert.equal(hc.MemoryReservation, 16 * 1024 ** 2);
  assert.deepEqual(hc.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
});

test('volumes: binds (host path made when missing), named volumes by engine name, anonymous, tmpfs, secrets, configs', (t) => {
  const { dir, body } = convert(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    volumes:',
      '      - ./data:/data',
      '      - /etc/hostname:/h:ro',
      '      - type: bind',
      '        source: ./exact',
      '        target: /exact',
      '        bind: {propagation: rslave, create_host_path: false}',
      '      - {type: bind, source: /var, target: /long}',
      '      - db:/var/lib/db',
      '      - ext:/ext:ro',
      '      - type: volume',
      '        source: db',
      '        target: /nocopy',
      '        volume: {nocopy: true}',
      '      - /anon',
      '      - type: tmpfs',
      '        target: /scratch',
      '        tmpfs: {size: 1m, mode: 0o1777}',
      '    secrets: [token, {source: token, target: /etc/token}]',
      '    configs: [conf]',
      'volumes:',
      '  db: {}',
      '  ext: {external: true, name: shared}',
      'secrets:',
      '  token: {file: ./token.txt}',
      'configs:',
      '  conf: {file: ./conf.ini}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(body.HostConfig?.Mounts, [
    {
      Type: 'bind',
      Source: path.join(dir, 'data'),
      Target: '/data',
      BindOptions: { CreateMountpoint: true },
    },
    {
      Type: 'bind',
      Source: '/etc/hostname',
      Target: '/h',
      ReadOnly: true,
      BindOptions: { CreateMountpoint: true },
    },
    {
      Type: 'bind',
      Source: path.join(dir, 'exact'),
      Target: '/exact',
      BindOptions: { Propagation: 'rslave' },
    },
    { Type: 'bind', Source: '/var', Target: '/long', BindOptions: { CreateMountpoint: true } },
    { Type: 'volume', Source: 'p_db', Target: '/var/lib/db' },
    { Type: 'volume', Source: 'shared', Target: '/ext', ReadOnly: true },
    { Type: 'volume', Source: 'p_db', Target: '/nocopy', VolumeOptions: { NoCopy: true } },
    { Type: 'volume', Target: '/anon' },
    { Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1024 ** 2, Mode: 0o1777 } },
    { Type: 'bind', Source: path.join(dir, 'token.txt'), Target: '/run/secrets/token', ReadOnly: true },
    { Type: 'bind', Source: path.join(dir, 'token.txt'), Target: '/etc/token', ReadOnly: true },
    { Type: 'bind', Source: path.join(dir, 'conf.ini'), Target: '/conf', ReadOnly: true },
  ]);
});

test('networks: the first by priority then name is the mode; every one an endpoint with aliases, addresses, mac', (t) => {
  const { body } = convert(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    mac_address: "02:42:ac:11:00:02"',
      '    networks:',
      '      zeta: {priority: 10, aliases: [www, site], ipv4_address: 172.30.0.5}',
      '      alpha: {}',
      '      beta: {aliases: [b]}',
      'networks:',
      '  zeta: {ipam: {config: [{subnet: 172.30.0.0/24}]}}',
      '  alpha: {name: custom-alpha}',
      '  beta: {external: true}',
      '',
    ].join('\n'),
  );
  assert.equal(body.HostConfig?.NetworkMode, 'p_zeta');
  assert.deepEqual(body.NetworkingConfig, {
    EndpointsConfig: {
      p_zeta: {
        Aliases: ['web', 'www', 'site'],
        IPAMConfig: { IPv4Address: '172.30.0.5' },
        MacAddress: '02:42:ac:11:00:02',
      },
      'custom-alpha': { Aliases: ['web'] },
      beta: { Aliases: ['web', 'b'] },
    },
  });
  assert.deepEqual(Object.keys(body.NetworkingConfig?.EndpointsConfig ?? {}), [
    'p_zeta',
    'custom-alpha',
    'beta',
  ]);
});

test('run without --use-aliases: no aliases; a one-off is labelled as one, with no number', (t) => {
  const { body } = convert(t, 'services:\n  web:\n    image: busybox\n', 'web', 0, {
    oneoff: true,
    slug: 'abc',
    useNetworkAliases: false,
    name: 'p-web-run-abc',
    autoRemove: true,
    attachStdin: true,
  });
  assert.deepEqual(body.NetworkingConfig, { EndpointsConfig: { p_default: {} } });
  assert.equal(body.Labels?.[LABEL.oneoff], 'True');
  assert.equal(body.Labels?.[LABEL.slug], 'abc');
  assert.equal(body.Labels?.[LABEL.containerNumber], undefined);
  assert.equal(body.HostConfig?.AutoRemove, true);
  assert.equal(body.AttachStdin, true);
});

test('service: namespaces and volumes_from name the other service container, observed or planned', (t) => {
  const yaml = [
    'services:',
    '  db:',
    '    image: busybox',
    '  named:',
    '    image: busybox',
    '    container_name: the-named-one',
    '  web:',
    '    image: busybox',
    '    network_mode: service:db',
    '    ipc: service:named',
    '    volumes_from: [db, "named:ro", "container:other:rw"]',
    '',
  ].join('\n');
  const planned = convert(t, yaml).body.HostConfig;
  assert.equal(planned?.NetworkMode, 'container:p-db-1');
  assert.equal(planned?.IpcMode, 'container:the-named-one');
  assert.deepEqual(planned?.VolumesFrom, ['p-db-1', 'the-named-one:ro', 'other:rw']);
  const observed = convert(t, yaml, 'web', 1, {
    containerOf: (s) => (s === 'db' ? 'p-db-3' : undefined),
  }).body;
  assert.equal(observed.HostConfig?.NetworkMode, 'container:p-db-3');
  assert.deepEqual(observed.HostConfig?.VolumesFrom, ['p-db-3', 'the-named-one:ro', 'other:rw']);
  assert.equal(observed.NetworkingConfig, undefined, 'a shared network namespace has no endpoints');
  assert.equal(observed.Labels?.[LABEL.dependsOn], 'db:service_started:true,named:service_started:true');
});

test('labels: depends_on entries sorted as dep:condition:restart, image id, replace, run labels, env files', (t) => {
  const { project } = load(
    t,
    [
      'services:',
      '  db: {image: busybox}',
      '  cache: {image: busybox}',
      '  web:',
      '    image: busybox',
      '    labels: {keep: me, com.docker.compose.project: spoofed}',
      '    depends_on:',
      '      db: {condition: service_healthy, restart: true}',
      '      cache: {condition: service_started, required: false}',
      '',
    ].join('\n'),
    { '.env': 'X=1\n' },
  );
  const { name, body } = containerCreateBody(project, project.services.web, 2, {
    imageId: 'sha256:abc',
    replaces: 'deadbeef',
    labels: { extra: 'yes' },
  });
  assert.equal(name, 'p-web-2');
  const l = body.Labels ?? {};
  assert.equal(l[LABEL.dependsOn], 'cache:service_started:false,db:service_healthy:true');
  assert.equal(l[LABEL.containerNumber], '2');
  assert.equal(l[LABEL.image], 'sha256:abc');
  assert.equal(l[LABEL.replace], 'deadbeef');
  assert.equal(l[LABEL.project], 'p', "a user's label cannot make the container another project's");
  assert.equal(l.keep, 'me');
  assert.equal(l.extra, 'yes');
  assert.equal(l[LABEL.environmentFile], project.envFiles.join(','));
  assert.ok(project.envFiles.length > 0);
});

test('a service with only build: gets <project>-<service>; no networks at all: none', (t) => {
  const { body } = convert(t, 'services:\n  web:\n    build: .\n    network_mode: none\n');
  assert.equal(body.Image, 'p-web');
  assert.equal(body.HostConfig?.NetworkMode, 'none');
});

test('keys the engine cannot honour are refused in one line naming them; tuning keys are dropped with a warning', (t) => {
  const { project } = load(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    pid: host',
      '    devices: ["/dev/fuse:/dev/fuse"]',
      '  tuned:',
      '    image: busybox',
      '    oom_score_adj: 100',
      '',
    ].join('\n'),
  );
  assert.throws(
    () => containerCreateBody(project, project.services.web, 1),
    (err: Error) => {
      assert.equal(err.name, 'NotImplementedError');
      assert.match(
        err.message,
        /^service "web" uses what the tscompose engine does not support yet: pid, devices$/,
      );
      return true;
    },
  );
  const { warnings } = containerCreateBody(project, project.services.tuned, 1);
  assert.deepEqual(warnings, [
    'service "tuned": oom_score_adj is not supported by the tscompose engine yet and is ignored',
  ]);
});

test('a seccomp profile file is sent as its JSON text; a missing one is one clear error', (t) => {
  const { project } = load(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    security_opt: ["seccomp=./profile.json", "seccomp=unconfined"]',
      '  bad:',
      '    image: busybox',
      '    security_opt: ["seccomp:./missing.json"]',
      '',
    ].join('\n'),
    { 'profile.json': '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n' },
  );
  assert.deepEqual(containerCreateBody(project, project.services.web, 1).body.HostConfig?.SecurityOpt, [
    'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}',
    'seccomp=unconfined',
  ]);
  assert.throws(
    () => containerCreateBody(project, project.services.bad, 1),
    /opening seccomp profile \(\.\/missing\.json\) failed/,
  );
});

test('network and volume create bodies: engine name, project labels over the user labels, driver, ipam, options', (t) => {
  const { project } = load(
    t,
    [
      'services:',
      '  web: {image: busybox, networks: [back], volumes: ["data:/d"]}',
      'networks:',
      '  back:',
      '    internal: true',
      '    driver_opts: {com.docker.network.bridge.name: br-back}',
      '    labels: {team: a}',
      '    ipam: {config: [{subnet: 172.31.0.0/24, gateway: 172.31.0.1}]}',
      '  ext: {external: true}',
      'volumes:',
      '  data: {labels: {team: a}, driver_opts: {type: tmpfs, device: tmpfs}}',
      '  named: {name: exact-name}',
      '',
    ].join('\n'),
  );
  const managed = { [LABEL.project]: 'p', [LABEL.version]: COMPOSE_LABEL_VERSION };
  assert.deepEqual(wire(networkCreateBody(project, 'back')), {
    Name: 'p_back',
    Labels: { team: 'a', [LABEL.network]: 'back', ...managed },
    Options: { 'com.docker.network.bridge.name': 'br-back' },
    Internal: true,
    IPAM: { Config: [{ Subnet: '172.31.0.0/24', Gateway: '172.31.0.1' }] },
  });
  assert.deepEqual(wire(volumeCreateBody(project, 'data')), {
    Name: 'p_data',
    Labels: { team: 'a', [LABEL.volume]: 'data', ...managed },
    DriverOpts: { type: 'tmpfs', device: 'tmpfs' },
  });
  assert.equal(volumeCreateBody(project, 'named').Name, 'exact-name');
  assert.throws(
    () => networkCreateBody(project, 'ext'),
    /network ext is external: it is used, never created/,
  );
});
