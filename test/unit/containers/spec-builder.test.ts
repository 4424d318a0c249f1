import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidArgumentError } from '../../../src/common/errors';
import type { ContainerCreateBody, HostConfig } from '../../../src/engine-api/container/types';
import { findImageFile } from '../../../src/engine/containers/layer-files';
import { buildContainerSpec, checkInitBinary, TINI_PATH } from '../../../src/engine/containers/spec-builder';
import type { ImageConfig } from '../../../src/engine/images/changes';
import type { ResolvedImage } from '../../../src/engine/images/store';
import { lsetxattr, makedev, mknod, S_IFCHR } from '../../../src/platform/linux/fs-nodes';
import { DEFAULT_CAPABILITIES, CAPABILITY_NAMES } from '../../../src/engine/runtime/capabilities';
import type { ContainerSpec } from '../../../src/engine/runtime/spec';

const ID = 'abcdef0123456789'.repeat(4);
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const HOST_HOSTS = '127.0.0.1 localhost\n10.1.1.1 buildhost\n';
const HOST_RESOLV =
  '# host file\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver fd00::1\nsearch corp.example\noptions edns0\n';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'app:x:1000:1000:app:/home/app:/bin/sh',
  '# a comment',
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
  'solo:x:2000:2000::/srv/solo:/bin/sh',
].join('\n');
const GROUP = [
  'root:x:0:',
  'wheel:x:10:root,app',
  'staff:x:50:app',
  'app:x:1000:',
  'devs:x:3000:',
  'nogroup:x:65534:',
].join('\n');

let tmp: string;
/** Layer directories by name; images are lists of them, top-most first. */
const layers: Record<string, string> = {};

function layer(name: string, files: Record<string, string>, setup?: (dir: string) => void): void {
  const dir = path.join(tmp, 'layers', name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.mkdirSync(dir, { recursive: true });
  setup?.(dir);
  layers[name] = dir;
}

function whiteout(dir: string, file: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  mknod(path.join(dir, file), S_IFCHR, makedev(0, 0));
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-spec-'));
  layer('base', { 'etc/passwd': PASSWD, 'etc/group': GROUP, 'home/app/.profile': '' });
  layer('newer', { 'etc/passwd': 'app:x:1001:1001::/home/app2:/bin/sh\n' });
  layer('deleted', {}, (d) => whiteout(d, 'etc/passwd'));
  layer('deletedDir', {}, (d) => whiteout(d, 'etc'));
  layer('opaque', { 'etc/group': 'other:x:7:\n' }, (d) =>
    lsetxattr(path.join(d, 'etc'), 'trusted.overlay.opaque', Buffer.from('y')),
  );
  layer('linked', { 'cfg/passwd': 'linked:x:4242:4343::/:/bin/sh\n' }, (d) =>
    fs.symlinkSync('/cfg', path.join(d, 'etc')),
  );
  layer('relLink', {}, (d) => {
    fs.mkdirSync(path.join(d, 'etc'));
    fs.symlinkSync('../base-etc/passwd', path.join(d, 'etc/passwd'));
  });
  layer('relTarget', { 'base-etc/passwd': 'rel:x:77:88::/:/bin/sh\n' });
  layer('loop', {}, (d) => {
    fs.mkdirSync(path.join(d, 'etc'));
    fs.symlinkSync('passwd', path.join(d, 'etc/passwd'));
  });
  fs.mkdirSync(path.join(tmp, 'host/data'), { recursive: true });
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function image(config: ImageConfig = { Cmd: ['sh'] }, names: string[] = ['base']): ResolvedImage {
  const layerDirs = names.map((n) => layers[n]);
  return {
    id: 'sha256:' + '1'.repeat(64),
    manifestDigest: 'sha256:' + '2'.repeat(64),
    config: {
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config,
      rootfs: { type: 'layers', diff_ids: [] },
    },
    layerDirs,
    layerLinks: layerDirs.map((_, i) => `l/${i}`),
    storeRoot: tmp,
  };
}

function build(
  body: Partial<ContainerCreateBody> = {},
  img: ResolvedImage = image(),
  hostEtc = { hosts: HOST_HOSTS, resolvConf: HOST_RESOLV },
): ContainerSpec {
  return buildContainerSpec({
    id: ID,
    name: 'test',
    body: { Image: 'busybox', ...body },
    image: img,
    stateDir: '/run/tsc/c1',
    cgroupParent: '/tscompose-test',
    hostEtc,
  });
}

const hc = (hostConfig: HostConfig): Partial<ContainerCreateBody> => ({ HostConfig: hostConfig });

function rejects(body: Partial<ContainerCreateBody>, message: string | RegExp, img?: ResolvedImage): void {
  assert.throws(
    () => build(body, img),
    (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError, `not a InvalidArgumentError: ${String(err)}`);
      assert.equal(err.kind, 'invalid-argument');
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('process.args: entrypoint and cmd merged as docker', () => {
  const cases: [string, ImageConfig, Partial<ContainerCreateBody>, string[]][] = [
    ['image cmd', { Cmd: ['sh'] }, {}, ['sh']],
    ['image entrypoint + image cmd', { Entrypoint: ['/ep'], Cmd: ['a'] }, {}, ['/ep', 'a']],
    ['body cmd replaces image cmd', { Entrypoint: ['/ep'], Cmd: ['a'] }, { Cmd: ['b'] }, ['/ep', 'b']],
    ['body entrypoint drops image cmd', { Entrypoint: ['/ep'], Cmd: ['a'] }, { Entrypoint: ['/x'] }, ['/x']],
    ['body entrypoint + body cmd', { Cmd: ['a'] }, { Entrypoint: ['/x'], Cmd: ['y'] }, ['/x', 'y']],
    [
      '[""] resets and drops image cmd',
      { Entrypoint: ['/ep'], Cmd: ['a'] },
      { Entrypoint: [''], Cmd: ['b'] },
      ['b'],
    ],
    ['[] drops the image entrypoint only', { Entrypoint: ['/ep'], Cmd: ['a'] }, { Entrypoint: [] }, ['a']],
    ['null entrypoint is not given', { Entrypoint: ['/ep'] }, { Entrypoint: null, Cmd: ['b'] }, ['/ep', 'b']],
    ['empty body cmd keeps image cmd', { Cmd: ['a'] }, { Cmd: [] }, ['a']],
  ];
  for (const [name, config, body, want] of cases) {
    it(name, () => assert.deepEqual(build(body, image(config)).process.args, want));
  }

  const empty: [string, ImageConfig, Partial<ContainerCreateBody>][] = [
    ['no command anywhere', {}, {}],
    ['[""] with no cmd', { Cmd: ['a'] }, { Entrypoint: [''] }],
  ];
  for (const [name, config, body] of empty) {
    it(`error: ${name}`, () => rejects(body, 'no command specified', image(config)));
  }
});

describe('process.env', () => {
  const h = ID.slice(0, 12);
  const cases: [string, ImageConfig, Partial<ContainerCreateBody>, string[]][] = [
    ['defaults', { Cmd: ['sh'] }, {}, [DEFAULT_PATH, `HOSTNAME=${h}`, 'HOME=/root']],
    [
      'image PATH replaces the default in place; body before image',
      { Cmd: ['sh'], Env: ['PATH=/bin', 'A=img', 'B=img'] },
      { Env: ['B=body', 'C=body'] },
      ['PATH=/bin', `HOSTNAME=${h}`, 'B=body', 'C=body', 'A=img', 'HOME=/root'],
    ],
    [
      'user HOSTNAME wins',
      { Cmd: ['sh'] },
      { Env: ['HOSTNAME=mine'] },
      [DEFAULT_PATH, 'HOSTNAME=mine', 'HOME=/root'],
    ],
    [
      'a key without = unsets',
      { Cmd: ['sh'], Env: ['A=img'] },
      { Env: ['A', 'PATH'] },
      [`HOSTNAME=${h}`, 'HOME=/root'],
    ],
    ['user HOME wins', { Cmd: ['sh'] }, { Env: ['HOME=/x'] }, [DEFAULT_PATH, `HOSTNAME=${h}`, 'HOME=/x']],
    ['HOME of the user', { Cmd: ['sh'] }, { User: 'app' }, [DEFAULT_PATH, `HOSTNAME=${h}`, 'HOME=/home/app']],
    [
      'tty adds TERM',
      { Cmd: ['sh'] },
      { Tty: true },
      [DEFAULT_PATH, `HOSTNAME=${h}`, 'TERM=xterm', 'HOME=/root'],
    ],
    [
      'values keep their = signs',
      { Cmd: ['sh'] },
      { Env: ['Q=a=b'] },
      [DEFAULT_PATH, `HOSTNAME=${h}`, 'Q=a=b', 'HOME=/root'],
    ],
  ];
  for (const [name, config, body, want] of cases) {
    it(name, () => assert.deepEqual(build(body, image(config)).process.env, want));
  }
});

describe('process.cwd', () => {
  const cases: [ImageConfig, Partial<ContainerCreateBody>, string][] = [
    [{ Cmd: ['sh'] }, {}, '/'],
    [{ Cmd: ['sh'], WorkingDir: '/srv' }, {}, '/srv'],
    [{ Cmd: ['sh'], WorkingDir: '/srv' }, { WorkingDir: '/app/./x/' }, '/app/x/'],
  ];
  for (const [config, body, want] of cases) {
    it(`${JSON.stringify(body.WorkingDir ?? config.WorkingDir)} → ${want}`, () =>
      assert.equal(build(body, image(config)).process.cwd, want));
  }
  it('error: relative', () =>
    rejects(
      { WorkingDir: 'app' },
      "the working directory 'app' is invalid, it needs to be an absolute path",
    ));
});

describe('process user from the image layers', () => {
  type Want = [uid: number, gid: number, groups: number[]];
  const cases: [string, string | undefined, string[] | undefined, Want, string[]?][] = [
    ['default root', undefined, undefined, [0, 0, [10]]],
    ['name', 'app', undefined, [1000, 1000, [10, 50]]],
    ['uid in passwd', '1000', undefined, [1000, 1000, [10, 50]]],
    ['uid not in passwd gets gid 0', '4321', undefined, [4321, 0, []]],
    ['name:group names no supplementary groups', 'app:staff', undefined, [1000, 50, []]],
    ['name:gid', 'app:3000', undefined, [1000, 3000, []]],
    ['uid:gid unknown', '5000:6000', undefined, [5000, 6000, []]],
    ['user without groups', 'solo', undefined, [2000, 2000, []]],
    ['GroupAdd names and ids', 'solo', ['devs', '4444', '0'], [2000, 2000, [3000, 4444, 0]]],
    ['GroupAdd deduplicated', 'app', ['staff', '50'], [1000, 1000, [10, 50]]],
    ['top-most passwd wins', 'app', undefined, [1001, 1001, [10, 50]], ['newer', 'base']],
    ['whiteout deletes passwd', '1000', undefined, [1000, 0, []], ['deleted', 'base']],
    ['whiteout of /etc deletes both files', '0', undefined, [0, 0, []], ['deletedDir', 'base']],
    ['opaque /etc hides lower passwd', '1000', undefined, [1000, 0, []], ['opaque', 'base']],
    [
      'absolute symlinked /etc resolved in the image',
      'linked',
      undefined,
      [4242, 4343, []],
      ['linked', 'base'],
    ],
    [
      'relative symlink resolved in the image',
      'rel',
      undefined,
      [77, 88, []],
      ['relLink', 'relTarget', 'base'],
    ],
  ];
  for (const [name, user, groupAdd, [uid, gid, groups], names] of cases) {
    it(name, () => {
      const spec = build({ User: user, HostConfig: { GroupAdd: groupAdd } }, image({ Cmd: ['sh'] }, names));
      assert.deepEqual([spec.process.uid, spec.process.gid, spec.process.additionalGids], [uid, gid, groups]);
    });
  }

  it('image User applies, body User wins', () => {
    assert.equal(build({}, image({ Cmd: ['sh'], User: 'app' })).process.uid, 1000);
    assert.equal(build({ User: 'nobody' }, image({ Cmd: ['sh'], User: 'app' })).process.uid, 65534);
  });

  const errors: [string, Partial<ContainerCreateBody>, string, string[]?][] = [
    ['unknown name', { User: 'ghost' }, 'unable to find user ghost: no matching entries in passwd file'],
    [
      'name after whiteout',
      { User: 'app' },
      'unable to find user app: no matching entries in passwd file',
      ['deleted', 'base'],
    ],
    [
      'unknown group',
      { User: 'app:ghosts' },
      'unable to find group ghosts: no matching entries in group file',
    ],
    [
      'unknown GroupAdd',
      hc({ GroupAdd: ['ghosts'] }),
      'Unable to find group ghosts: no matching entries in group file',
    ],
    ['uid out of range', { User: '-5' }, 'uids and gids must be in range 0-2147483647'],
    [
      'symlink loop',
      { User: 'app' },
      'unable to find user app: no matching entries in passwd file',
      ['loop', 'base'],
    ],
  ];
  for (const [name, body, message, names] of errors) {
    it(`error: ${name}`, () => rejects(body, message, image({ Cmd: ['sh'] }, names)));
  }

  it('finds files through layers with a whiteout 0:0 device', () => {
    assert.equal(findImageFile([layers.deleted, layers.base], '/etc/passwd'), undefined);
    assert.equal(
      findImageFile([layers.deleted, layers.base], '/etc/group'),
      path.join(layers.base, 'etc/group'),
    );
    assert.equal(findImageFile([layers.base], '/etc'), undefined, 'a directory is not a file');
  });
});

describe('capabilities and security options', () => {
  it('docker default set', () => assert.deepEqual(build().process.capabilities, DEFAULT_CAPABILITIES));
  it('CapAdd / CapDrop', () => {
    const caps = build(hc({ CapAdd: ['net_admin'], CapDrop: ['CAP_CHOWN', 'mknod'] })).process.capabilities;
    assert.ok(caps.includes('CAP_NET_ADMIN'));
    assert.ok(!caps.includes('CAP_CHOWN') && !caps.includes('CAP_MKNOD'));
  });
  it('CapAdd ALL and CapDrop ALL', () => {
    assert.deepEqual(build(hc({ CapAdd: ['ALL'] })).process.capabilities, CAPABILITY_NAMES);
    assert.deepEqual(build(hc({ CapDrop: ['ALL'], CapAdd: ['KILL'] })).process.capabilities, ['CAP_KILL']);
  });
  it('defaults: default seccomp, docker masked and read-only paths, new privileges allowed', () => {
    const spec = build();
    assert.deepEqual(spec.seccomp, { mode: 'default' });
    assert.equal(spec.privileged, false);
    assert.equal(spec.process.noNewPrivileges, false);
    assert.ok(
      spec.maskedPaths.includes('/proc/kcore') &&
        spec.maskedPaths.includes('/proc/interrupts') &&
        spec.maskedPaths.includes('/sys/devices/virtual/powercap'),
    );
    assert.equal(spec.maskedPaths.length, 12);
    assert.deepEqual(spec.readonlyPaths, [
      '/proc/bus',
      '/proc/fs',
      '/proc/irq',
      '/proc/sys',
      '/proc/sysrq-trigger',
    ]);
  });
  it('privileged: every capability, unconfined, nothing masked', () => {
    const spec = build(hc({ Privileged: true, SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'] }));
    assert.deepEqual(spec.process.capabilities, CAPABILITY_NAMES);
    assert.deepEqual(spec.seccomp, { mode: 'unconfined' });
    assert.deepEqual([spec.privileged, spec.maskedPaths, spec.readonlyPaths], [true, [], []]);
  });

  const profile =
    '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}';
  const opts: [string[], Partial<Pick<ContainerSpec, 'seccomp' | 'maskedPaths'>> & { nnp?: boolean }][] = [
    [['no-new-privileges'], { nnp: true }],
    [['no-new-privileges:true'], { nnp: true }],
    [['no-new-privileges=1'], { nnp: true }],
    [['no-new-privileges', 'no-new-privileges:false'], { nnp: false }],
    [['seccomp=unconfined'], { seccomp: { mode: 'unconfined' } }],
    [['seccomp:unconfined'], { seccomp: { mode: 'unconfined' } }],
    [['seccomp=builtin'], { seccomp: { mode: 'default' } }],
    [[`seccomp=${profile}`], { seccomp: { mode: 'custom', profile: JSON.parse(profile) } }],
    [
      ['label=disable', 'label=type:svirt_t', 'apparmor=docker-default', 'disable'],
      { seccomp: { mode: 'default' } },
    ],
    [['systempaths=unconfined'], { maskedPaths: [] }],
  ];
  for (const [given, want] of opts) {
    it(`SecurityOpt ${JSON.stringify(given).slice(0, 60)}`, () => {
      const spec = build(hc({ SecurityOpt: given }));
      if (want.nnp !== undefined) assert.equal(spec.process.noNewPrivileges, want.nnp);
      if (want.seccomp) assert.deepEqual(spec.seccomp, want.seccomp);
      if (want.maskedPaths) assert.deepEqual(spec.maskedPaths, want.maskedPaths);
    });
  }

  const errors: [HostConfig, string | RegExp][] = [
    [{ SecurityOpt: ['bogus'] }, 'invalid --security-opt: bogus'],
    [{ SecurityOpt: ['foo=bar'] }, 'invalid --security-opt: foo=bar'],
    [{ SecurityOpt: ['no-new-privileges:maybe'] }, 'invalid --security-opt: no-new-privileges:maybe'],
    [{ SecurityOpt: ['systempaths=confined'] }, 'invalid --security-opt: systempaths=confined'],
    [{ SecurityOpt: ['seccomp='] }, 'invalid --security-opt: seccomp='],
    [{ SecurityOpt: ['seccomp=/etc/profile.json'] }, /seccomp profile: not valid JSON/],
    [{ SecurityOpt: ['seccomp={"defaultAction":"SCMP_ACT_NOPE"}'] }, /seccomp profile.*defaultAction/],
    [{ CapAdd: ['CAP_FLY'] }, 'unknown capability: "CAP_FLY"'],
  ];
  for (const [given, message] of errors) {
    it(`error: ${JSON.stringify(given)}`, () => rejects(hc(given), message));
  }
});

describe('rootfs, hostname, shm, ipc, cgroup, stdio, init', () => {
  it('rootfs from the image layers, top-most first', () => {
    const img = image({ Cmd: ['sh'] }, ['newer', 'base']);
    assert.deepEqual(build({}, img).rootfs, {
      lowerDirs: [layers.newer, layers.base],
      lowerLinks: ['l/0', 'l/1'],
      linkRoot: tmp,
      readonly: false,
    });
    assert.equal(build(hc({ ReadonlyRootfs: true }), img).rootfs.readonly, true);
  });
  it('hostname: the short id, the body, the host in host mode; domainname', () => {
    const spec = build();
    assert.equal(spec.hostname, ID.slice(0, 12));
    assert.equal(spec.etcFiles.hostname, `${ID.slice(0, 12)}\n`);
    assert.equal(spec.domainname, undefined);
    const named = build({ Hostname: 'web', Domainname: 'example.com' });
    assert.deepEqual(
      [named.hostname, named.domainname, named.etcFiles.hostname],
      ['web', 'example.com', 'web\n'],
    );
    assert.equal(build(hc({ NetworkMode: 'host' })).hostname, os.hostname());
  });
  it('shm size: 64 MiB unless given', () => {
    assert.equal(build().shmSizeBytes, 64 * 1024 * 1024);
    assert.equal(build(hc({ ShmSize: 1 << 20 })).shmSizeBytes, 1 << 20);
  });
  const ipc: [string | undefined, string][] = [
    [undefined, 'private'],
    ['', 'private'],
    ['private', 'private'],
    ['shareable', 'shareable'],
  ];
  for (const [given, want] of ipc) {
    it(`ipc ${JSON.stringify(given)} → ${want}`, () =>
      assert.equal(build(hc({ IpcMode: given })).ipcMode, want));
  }
  it('cgroup, stdio, no init by default', () => {
    const spec = build();
    assert.deepEqual(spec.cgroup, { parent: '/tscompose-test', name: ID, limits: {} });
    assert.deepEqual(spec.stdio, {
      stdoutPath: '/run/tsc/c1/stdout.fifo',
      stderrPath: '/run/tsc/c1/stderr.fifo',
    });
    assert.equal(spec.initBinary, undefined);
    assert.equal(spec.stateDir, '/run/tsc/c1');
    assert.equal(spec.id, ID);
    assert.equal(spec.process.terminal, undefined);
    assert.equal(build({ Tty: true }).process.terminal, true);
  });
  it('init: tini-static', { skip: !fs.existsSync(TINI_PATH) && 'tini is not installed' }, () =>
    assert.equal(build(hc({ Init: true })).initBinary, TINI_PATH),
  );
  it('error: init binary missing', () =>
    assert.throws(() => checkInitBinary('/nonexistent/tini'), {
      message: 'init binary not found: /nonexistent/tini (apt-get install tini)',
    }));

  const errors: [HostConfig, string | RegExp][] = [
    [{ IpcMode: 'host' }, 'IPC mode "host" is not supported yet'],
    [{ IpcMode: 'container:x' }, 'IPC mode "container:x" is not supported yet'],
    [{ IpcMode: 'weird' }, 'invalid IPC mode: weird'],
    [{ ShmSize: -1 }, 'SHM size can not be less than 0'],
    [{ ShmSize: 1e18 }, /^SHM size 1000000000000000000 is larger than the host's memory/],
  ];
  for (const [given, message] of errors) {
    it(`error: ${JSON.stringify(given)}`, () => rejects(hc(given), message));
  }
});

describe('mounts', () => {
  const data = () => path.join(tmp, 'host/data');
  it('binds with modes', () => {
    const spec = build(
      hc({ Binds: [`${data()}:/data`, `${data()}:/ro:ro,Z`, `${data()}/../data:/sh:rshared`] }),
    );
    assert.deepEqual(spec.mounts, [
      { type: 'bind', source: data(), target: '/data', options: ['rbind'] },
      { type: 'bind', source: data(), target: '/ro', options: ['rbind', 'ro'] },
      { type: 'bind', source: data(), target: '/sh', options: ['rbind', 'rshared'] },
    ]);
  });
  it('Mounts: bind and tmpfs', () => {
    const spec = build(
      hc({
        Mounts: [
          {
            Type: 'bind',
            Source: data(),
            Target: '/m',
            ReadOnly: true,
            BindOptions: { Propagation: 'rslave' },
          },
          { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o700 } },
        ],
      }),
    );
    assert.deepEqual(spec.mounts, [
      { type: 'bind', source: data(), target: '/m', options: ['rbind', 'ro', 'rslave'] },
      {
        type: 'tmpfs',
        source: 'tmpfs',
        target: '/t',
        options: ['noexec', 'nosuid', 'nodev', 'size=1048576', 'mode=700'],
      },
    ]);
  });
  it('Mounts: CreateMountpoint makes the bind source', () => {
    const src = path.join(tmp, 'host/created/deep');
    const spec = build(
      hc({ Mounts: [{ Type: 'bind', Source: src, Target: '/c', BindOptions: { CreateMountpoint: true } }] }),
    );
    assert.equal(spec.mounts[0].source, src);
    assert.ok(fs.statSync(src).isDirectory());
  });
  const tmpfs: [string, string[]][] = [
    ['', ['noexec', 'nosuid', 'nodev']],
    ['size=64m,mode=1777', ['noexec', 'nosuid', 'nodev', 'size=64m', 'mode=1777']],
    ['exec,size=1g,size=2g', ['nosuid', 'nodev', 'exec', 'size=2g']],
    ['ro,uid=1000,noatime', ['noexec', 'nosuid', 'nodev', 'ro', 'uid=1000', 'noatime']],
  ];
  for (const [opts, want] of tmpfs) {
    it(`Tmpfs ${JSON.stringify(opts)}`, () =>
      assert.deepEqual(build(hc({ Tmpfs: { '/run': opts } })).mounts, [
        { type: 'tmpfs', source: 'tmpfs', target: '/run', options: want },
      ]));
  }
  it('parents are mounted before children whatever the order given', () => {
    const spec = build(hc({ Tmpfs: { '/a/b/c': '', '/a': '' }, Binds: [`${data()}:/a/b`] }));
    assert.deepEqual(
      spec.mounts.map((m) => m.target),
      ['/a', '/a/b', '/a/b/c'],
    );
  });

  const errors: [HostConfig, string | RegExp][] = [
    [
      { Binds: ['/nonexistent-src:/x'] },
      'invalid mount config for type "bind": bind source path does not exist: /nonexistent-src',
    ],
    [{ Binds: ['named:/x'] }, 'named volumes are not supported yet'],
    [{ Binds: ['./rel:/x'] }, 'named volumes are not supported yet'],
    [{ Binds: ['/data'] }, 'anonymous volumes are not supported yet'],
    [{ Binds: ['/data:ro'] }, 'invalid spec: /data:ro'],
    [{ Binds: ['/a:/b:/c:/d'] }, 'invalid spec: /a:/b:/c:/d'],
    [{ Binds: ['/tmp:/x:rw,ro'] }, 'invalid mode: rw,ro'],
    [{ Binds: ['/tmp:/x:bogus'] }, 'invalid mode: bogus'],
    [
      { Binds: ['/tmp:rel'] },
      `invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
    ],
    [{ Binds: ['/tmp:/'] }, `invalid specification: destination can't be '/'`],
    [{ Mounts: [{ Type: 'volume', Source: 'v', Target: '/v' }] }, 'named volumes are not supported yet'],
    [
      { Mounts: [{ Type: 'bind', Target: '/v' }] },
      'invalid mount config for type "bind": field Source must not be empty',
    ],
    [
      { Mounts: [{ Type: 'bind', Source: '/nonexistent-src', Target: '/v' }] },
      'invalid mount config for type "bind": bind source path does not exist: /nonexistent-src',
    ],
    [
      { Mounts: [{ Type: 'tmpfs', Source: '/x', Target: '/v' }] },
      'invalid mount config for type "tmpfs": field Source must not be specified',
    ],
    [
      { Tmpfs: { run: '' } },
      `invalid mount config for type "tmpfs": invalid mount path: 'run' mount path must be absolute`,
    ],
    [{ Tmpfs: { '/run': 'bogus' } }, 'invalid tmpfs option "bogus"'],
    [{ Tmpfs: { '/run': 'size=' } }, 'invalid tmpfs option "size="'],
    [{ Tmpfs: { '/x': '' }, Binds: ['/tmp:/x/'] }, 'Duplicate mount point: /x'],
    [{ Binds: ['/tmp:/x', '/tmp:/x:ro'] }, 'Duplicate mount point: /x'],
  ];
  for (const [given, message] of errors) {
    it(`error: ${JSON.stringify(given)}`, () => rejects(hc(given), message));
  }
});

describe('cgroup limits and rlimits', () => {
  const MiB = 1024 * 1024;
  const cases: [HostConfig, ContainerSpec['cgroup']['limits']][] = [
    [{ Memory: 64 * MiB }, { memoryBytes: 64 * MiB, memorySwapBytes: 128 * MiB }],
    [
      { Memory: 64 * MiB, MemorySwap: -1 },
      { memoryBytes: 64 * MiB, memorySwapBytes: -1 },
    ],
    [
      { Memory: 64 * MiB, MemorySwap: 100 * MiB },
      { memoryBytes: 64 * MiB, memorySwapBytes: 100 * MiB },
    ],
    [{ MemoryReservation: 32 * MiB }, { memoryReservationBytes: 32 * MiB }],
    [{ NanoCpus: 500_000_000 }, { cpuQuotaUs: 50_000, cpuPeriodUs: 100_000 }],
    [
      { CpuQuota: 20_000, CpuPeriod: 50_000 },
      { cpuQuotaUs: 20_000, cpuPeriodUs: 50_000 },
    ],
    [{ CpuShares: 512 }, { cpuShares: 512 }],
    [
      { CpusetCpus: `0,0-${os.cpus().length - 1}`, CpusetMems: '0' },
      { cpusetCpus: `0,0-${os.cpus().length - 1}`, cpusetMems: '0' },
    ],
    [{ PidsLimit: 100 }, { pidsLimit: 100 }],
    [{ PidsLimit: 0 }, {}],
    [{ PidsLimit: -1 }, {}],
  ];
  for (const [given, want] of cases) {
    it(JSON.stringify(given), () => assert.deepEqual(build(hc(given)).cgroup.limits, want));
  }

  const errors: [HostConfig, string | RegExp][] = [
    [{ Memory: 5 * MiB }, 'Minimum memory limit allowed is 6MB'],
    [
      { Memory: 64 * MiB, MemorySwap: 32 * MiB },
      /^Minimum memoryswap limit should be larger than memory limit/,
    ],
    [{ MemorySwap: 64 * MiB }, /^You should always set the Memory limit when using Memoryswap limit/],
    [{ MemoryReservation: MiB }, 'Minimum memory reservation allowed is 6MB'],
    [
      { Memory: 10 * MiB, MemoryReservation: 20 * MiB },
      /^Minimum memory limit can not be less than memory reservation limit/,
    ],
    [
      { NanoCpus: 1e9, CpuPeriod: 100_000 },
      'Conflicting options: Nano CPUs and CPU Period cannot both be set',
    ],
    [{ NanoCpus: 1e9, CpuQuota: 50_000 }, 'Conflicting options: Nano CPUs and CPU Quota cannot both be set'],
    [{ NanoCpus: 1e9 * (os.cpus().length + 1) }, /^Range of CPUs is from 0.01 to/],
    [{ CpuQuota: 500 }, 'CPU cfs quota can not be less than 1ms (i.e. 1000)'],
    [{ CpuPeriod: 10 }, /^CPU cfs period can not be less than 1ms/],
    [{ CpusetCpus: '0-a' }, 'Invalid value 0-a for cpuset cpus'],
    [{ CpusetCpus: '0-99' }, /^Requested CPUs are not available - requested 0-99, available: 0/],
    [{ CpusetCpus: '0-4294967295' }, 'Invalid value 0-4294967295 for cpuset cpus'],
    [{ CpusetMems: '7' }, /^Requested memory nodes are not available - requested 7, available: 0/],
    [{ Memory: os.totalmem() + 1 }, /^Memory limit \d+ is larger than the host's total memory/],
    [{ Memory: 64 * MiB, MemorySwap: -2 }, /^invalid memory swap limit -2/],
    [{ NanoCpus: -1 }, /^Range of CPUs is from 0.01 to/],
  ];
  for (const [given, message] of errors) {
    it(`error: ${JSON.stringify(given)}`, () => rejects(hc(given), message));
  }

  it('ulimits', () =>
    assert.deepEqual(
      build(
        hc({
          Ulimits: [
            { Name: 'nofile', Soft: 1024, Hard: 4096 },
            { Name: 'core', Soft: -1, Hard: -1 },
          ],
        }),
      ).process.rlimits,
      [
        { type: 'nofile', soft: 1024, hard: 4096 },
        { type: 'core', soft: -1, hard: -1 },
      ],
    ));
  const ulimitErrors: [HostConfig, string][] = [
    [{ Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] }, 'invalid ulimit type: bogus'],
    [
      { Ulimits: [{ Name: 'nproc', Soft: 10, Hard: 5 }] },
      'ulimit soft limit must be less than or equal to hard limit: 10 > 5',
    ],
    [
      { Ulimits: [{ Name: 'nproc', Soft: -1, Hard: 5 }] },
      'ulimit soft limit must be less than or equal to hard limit: -1 > 5',
    ],
  ];
  for (const [given, message] of ulimitErrors) {
    it(`error: ${JSON.stringify(given)}`, () => rejects(hc(given), message));
  }
});

describe('sysctls', () => {
  const allowed = {
    'kernel.shmmax': '1',
    'kernel.sem': '1 2 3 4',
    'fs.mqueue.msg_max': '10',
    'net.ipv4.ip_forward': '1',
  };
  it('namespaced ones pass', () => assert.deepEqual(build(hc({ Sysctls: allowed })).sysctls, allowed));
  it('net.* refused in host mode', () =>
    rejects(
      hc({ NetworkMode: 'host', Sysctls: { 'net.ipv4.ip_forward': '1' } }),
      /^sysctl "net.ipv4.ip_forward" is not allowed/,
    ));
  for (const key of ['kernel.hostname', 'vm.swappiness', 'kernel.pid_max', 'fs.file-max']) {
    it(`error: ${key}`, () => rejects(hc({ Sysctls: { [key]: '1' } }), `sysctl "${key}" is not allowed`));
  }
  // The key names a file under /proc/sys, the value is written into it.
  for (const key of [
    'net.ipv4..ip_forward',
    'net/../../kernel/x',
    'net.ipv4.ip_forward\n',
    'net. x',
    '.net',
    `net.${'a'.repeat(260)}`,
  ]) {
    it(`error: key ${JSON.stringify(key)}`, () =>
      rejects(hc({ Sysctls: { [key]: '1' } }), `invalid sysctl key ${JSON.stringify(key)}`));
  }
  for (const value of ['1\n2', '1\r', '\u0000', 'x'.repeat(4097)]) {
    it(`error: value ${JSON.stringify(value).slice(0, 20)}`, () =>
      rejects(
        hc({ Sysctls: { 'kernel.shmmax': value } }),
        `invalid value for sysctl "kernel.shmmax": ${JSON.stringify(value)}`,
      ));
  }
  it('a value may hold spaces and tabs (kernel.sem)', () =>
    assert.deepEqual(build(hc({ Sysctls: { 'kernel.sem': '250\t32000 100 128' } })).sysctls, {
      'kernel.sem': '250\t32000 100 128',
    }));
});

describe('hostname and domainname: what the UTS names and /etc files take', () => {
  for (const name of ['web', 'web-1', 'a.b.c', 'my_host', 'x'.repeat(64), '0abc']) {
    it(`ok: ${name.slice(0, 20)}`, () => assert.equal(build({ Hostname: name }).hostname, name));
  }
  for (const name of [
    'a\nb',
    'a b',
    'a\tb',
    '-web',
    'web-',
    'a..b',
    '.a',
    'a.',
    'x'.repeat(65),
    'é'.repeat(33),
    'a\u0000b',
  ]) {
    it(`error: hostname ${JSON.stringify(name).slice(0, 20)}`, () =>
      rejects({ Hostname: name }, `invalid hostname format: ${JSON.stringify(name)}`));
    it(`error: domainname ${JSON.stringify(name).slice(0, 20)}`, () =>
      rejects({ Domainname: name }, `invalid domainname format: ${JSON.stringify(name)}`));
  }
});

describe('network mode and /etc files', () => {
  const h = ID.slice(0, 12);
  const defaultHosts = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const mode of [undefined, '', 'default', 'none']) {
    it(`${JSON.stringify(mode)} → none`, () =>
      assert.deepEqual(build(hc({ NetworkMode: mode })).network, { mode: 'none' }));
  }
  // The network manager checks the name and supplies the attachments at each start.
  for (const mode of ['bridge', 'backend']) {
    it(`${JSON.stringify(mode)} → bridge`, () =>
      assert.deepEqual(build(hc({ NetworkMode: mode })).network, { mode: 'bridge' }));
  }
  it('container:<name> → container', () =>
    assert.deepEqual(build(hc({ NetworkMode: 'container:db' })).network, { mode: 'container' }));
  it('none: docker hosts, own name, extra hosts', () => {
    const spec = build({
      Hostname: 'web',
      Domainname: 'example.com',
      HostConfig: { ExtraHosts: ['db:10.0.0.5', 'v6:::1', 'b=[fd00::2]'] },
    });
    assert.equal(
      spec.etcFiles.hosts,
      [...defaultHosts, '10.0.0.5\tdb', '::1\tv6', 'fd00::2\tb', '127.0.1.1\tweb.example.com web', ''].join(
        '\n',
      ),
    );
    assert.ok(build().etcFiles.hosts.endsWith(`127.0.1.1\t${h}\n`));
  });
  it('none: host resolv.conf minus loopback and IPv6 servers', () =>
    assert.equal(
      build().etcFiles.resolvConf,
      '# host file\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n',
    ));
  it('none: only loopback servers on the host → public fallback', () =>
    assert.equal(
      build({}, image(), { hosts: '', resolvConf: 'nameserver 127.0.0.53\n' }).etcFiles.resolvConf,
      'nameserver 8.8.8.8\nnameserver 8.8.4.4\n',
    ));
  it('Dns / DnsSearch / DnsOptions override', () => {
    assert.equal(
      build(hc({ Dns: ['1.1.1.1'], DnsSearch: ['a.example', 'b.example'], DnsOptions: ['ndots:2'] })).etcFiles
        .resolvConf,
      'search a.example b.example\nnameserver 1.1.1.1\noptions ndots:2\n',
    );
    assert.equal(build(hc({ DnsSearch: ['.'] })).etcFiles.resolvConf, 'nameserver 10.0.0.2\noptions edns0\n');
    assert.equal(
      build(hc({ DnsOptions: ['use-vc'] })).etcFiles.resolvConf,
      'search corp.example\nnameserver 10.0.0.2\noptions use-vc\n',
    );
  });
  it('host: the host files, extra hosts appended', () => {
    const spec = build(hc({ NetworkMode: 'host' }));
    assert.deepEqual(spec.network, { mode: 'host' });
    assert.deepEqual([spec.etcFiles.hosts, spec.etcFiles.resolvConf], [HOST_HOSTS, HOST_RESOLV]);
    assert.equal(
      build(hc({ NetworkMode: 'host', ExtraHosts: ['db:10.0.0.5'] })).etcFiles.hosts,
      `${HOST_HOSTS}10.0.0.5\tdb\n`,
    );
    assert.equal(
      build(hc({ NetworkMode: 'host', Dns: ['9.9.9.9'] })).etcFiles.resolvConf,
      'search corp.example\nnameserver 9.9.9.9\noptions edns0\n',
    );
  });

  const errors: [HostConfig, string | RegExp][] = [
    [{ NetworkMode: 'container:' }, 'invalid network mode: container:'],
    [{ ExtraHosts: ['nohost'] }, 'bad format for add-host: "nohost"'],
    [{ ExtraHosts: ['db:300.1.1.1'] }, 'invalid IP address in add-host: "300.1.1.1"'],
    [
      { ExtraHosts: ['gw:host-gateway'] },
      'add-host "gw:host-gateway": host-gateway needs a bridge network (not supported yet)',
    ],
    [{ Dns: ['dns.example'] }, 'invalid DNS server address: "dns.example"'],
    [{ Dns: ['1.1.1.1\nnameserver 6.6.6.6'] }, 'invalid DNS server address: "1.1.1.1\\nnameserver 6.6.6.6"'],
    [
      { DnsSearch: ['a.example\nnameserver 6.6.6.6'] },
      '"a.example\\nnameserver 6.6.6.6" is not a valid domain',
    ],
    [{ DnsSearch: ['a b'] }, '"a b" is not a valid domain'],
    [{ DnsSearch: [`${'a'.repeat(63)}.`.repeat(5)] }, /is not a valid domain$/],
    [{ DnsOptions: ['ndots:1\nnameserver 6.6.6.6'] }, 'invalid DNS option: "ndots:1\\nnameserver 6.6.6.6"'],
    [{ DnsOptions: ['ndots:1 rotate'] }, 'invalid DNS option: "ndots:1 rotate"'],
    [{ DnsOptions: ['x'.repeat(256)] }, /^invalid DNS option/],
    [
      { ExtraHosts: ['evil\n6.6.6.6 bank.example:1.2.3.4'] },
      'invalid hostname in add-host: "evil\\n6.6.6.6 bank.example"',
    ],
    [{ ExtraHosts: ['a b:1.2.3.4'] }, 'invalid hostname in add-host: "a b"'],
    [{ ExtraHosts: [`${'a'.repeat(256)}:1.2.3.4`] }, /^invalid hostname in add-host/],
    [{ ExtraHosts: ['db:1.2.3.4\n'] }, 'invalid IP address in add-host: "1.2.3.4\\n"'],
  ];
  for (const [given, message] of errors) {
    it(`error: ${JSON.stringify(given)}`, () => rejects(hc(given), message));
  }
});
