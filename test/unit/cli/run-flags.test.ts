/** `container run` / `create` argv → the create request docker's CLI would send, and every refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readUntilOperand } from '../../../src/cli/flags/until-operand';
import { runFlagTable } from '../../../src/cli/container/run-flag-table';
import { buildCreateRequest, type CreateRequest } from '../../../src/cli/container/create-request';
import { TscomposeError } from '../../../src/common/errors';

const FILES: Record<string, string> = {
  '/app.env': '# app settings\nB=two words = "kept"\n\n   E\nNOT_SET\r\nC=\n',
  '/labels': 'tier=web\n# x\nbare\n',
  '/seccomp.json': '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": []\n}\n',
  '/bad.json': '{ nope',
  '/spaces.env': 'A B=1\n',
  '/noname.env': '=1\n',
};

const io = {
  env: { FROM_ENV: 'here', E: 'from-env' },
  cwd: '/work',
  readFile(p: string): string {
    if (p in FILES) return FILES[p];
    throw new TscomposeError(`open ${p}: no such file or directory`, { exitCode: 125 });
  },
};

async function request(argv: string[]): Promise<CreateRequest> {
  const { flags, operands } = readUntilOperand(argv, runFlagTable);
  return buildCreateRequest(flags, operands, io);
}

const attached = { AttachStdout: true, AttachStderr: true };

test('run flags become the create body docker would send', async () => {
  const table: [string[], CreateRequest][] = [
    [['busybox'], { body: { ...attached, Image: 'busybox', HostConfig: {} } }],
    [['busybox', 'ls', '-l'], { body: { ...attached, Cmd: ['ls', '-l'], Image: 'busybox', HostConfig: {} } }],
    [
      ['-d', '--rm', '--name', 'web', 'busybox', 'sh', '-c', 'echo -e x'],
      {
        name: 'web',
        body: { Cmd: ['sh', '-c', 'echo -e x'], Image: 'busybox', HostConfig: { AutoRemove: true } },
      },
    ],
    [['-di', 'busybox'], { body: { OpenStdin: true, Image: 'busybox', HostConfig: {} } }],
    [
      ['-i', 'busybox'],
      {
        body: {
          AttachStdin: true,
          ...attached,
          OpenStdin: true,
          StdinOnce: true,
          Image: 'busybox',
          HostConfig: {},
        },
      },
    ],
    [
      ['-it', 'busybox'],
      {
        body: {
          AttachStdin: true,
          ...attached,
          OpenStdin: true,
          StdinOnce: true,
          Tty: true,
          Image: 'busybox',
          HostConfig: {},
        },
      },
    ],
    [['-dt', 'busybox'], { body: { Tty: true, Image: 'busybox', HostConfig: {} } }],
    [
      ['--rm=false', '--name', 'a', '--name=b', '--', 'busybox', '--rm'],
      {
        name: 'b',
        body: { ...attached, Cmd: ['--rm'], Image: 'busybox', HostConfig: {} },
      },
    ],
    [
      ['-e', 'A=1', '-eFROM_ENV', '-e=UNSET', '--env', 'EMPTY=', '--env-file', '/app.env', 'busybox'],
      {
        body: {
          ...attached,
          Env: ['B=two words = "kept"', 'E=from-env', 'C=', 'A=1', 'FROM_ENV=here', 'EMPTY='],
          Image: 'busybox',
          HostConfig: {},
        },
      },
    ],
    [
      [
        '-w',
        '/tmp',
        '-u',
        '1000:1000',
        '-h',
        'box',
        '--entrypoint',
        'sh -c',
        '--stop-signal',
        'SIGINT',
        '--stop-timeout',
        '5',
        'busybox',
      ],
      {
        body: {
          Hostname: 'box',
          User: '1000:1000',
          ...attached,
          Image: 'busybox',
          WorkingDir: '/tmp',
          Entrypoint: ['sh -c'],
          StopSignal: 'SIGINT',
          StopTimeout: 5,
          HostConfig: {},
        },
      },
    ],
    [
      ['--entrypoint', '', 'busybox'],
      { body: { ...attached, Image: 'busybox', Entrypoint: [''], HostConfig: {} } },
    ],
    [
      ['-l', 'a=1', '--label=b', '--label-file', '/labels', '-l', 'tier=db', 'busybox'],
      {
        body: {
          ...attached,
          Image: 'busybox',
          Labels: { tier: 'db', bare: '', a: '1', b: '' },
          HostConfig: {},
        },
      },
    ],
    [
      [
        '-v',
        '/src:/dst:ro',
        '-v',
        'data:/data',
        '-v',
        '/anon',
        '--mount',
        'type=bind,source=/a,target=/b,readonly',
        '--mount',
        'type=bind,src=./rel,dst=/c,ro=false,bind-propagation=rshared',
        '--mount',
        'target=/vol',
        '--mount',
        'type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1777',
        '--mount',
        '"type=bind","source=/with,comma",target=/d',
        '--tmpfs',
        '/run',
        '--tmpfs',
        '/cache:rw,size=64m,mode=1777',
        'busybox',
      ],
      {
        body: {
          ...attached,
          Image: 'busybox',
          HostConfig: {
            Binds: ['/src:/dst:ro', 'data:/data', '/anon'],
            Mounts: [
              { Type: 'bind', Target: '/b', Source: '/a', ReadOnly: true },
              {
                Type: 'bind',
                Target: '/c',
                Source: '/work/rel',
                ReadOnly: false,
                BindOptions: { Propagation: 'rshared' },
              },
              { Type: 'volume', Target: '/vol' },
              { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1777 } },
              { Type: 'bind', Target: '/d', Source: '/with,comma' },
            ],
            Tmpfs: { '/run': '', '/cache': 'rw,size=64m,mode=1777' },
          },
        },
      },
    ],
    [
      [
        '-m',
        '512m',
        '--memory-swap',
        '-1',
        '--memory-reservation',
        '1.5g',
        '--shm-size',
        '64MB',
        '--cpus',
        '1.5',
        '-c',
        '512',
        '--cpu-period',
        '100000',
        '--cpu-quota',
        '50000',
        '--cpuset-cpus',
        '0-1',
        '--cpuset-mems',
        '0',
        '--pids-limit',
        '-1',
        'busybox',
      ],
      {
        body: {
          ...attached,
          Image: 'busybox',
          HostConfig: {
            ShmSize: 64 * 1024 * 1024,
            Memory: 512 * 1024 * 1024,
            MemorySwap: -1,
            MemoryReservation: 1.5 * 1024 ** 3,
            NanoCpus: 1_500_000_000,
            CpuShares: 512,
            CpuPeriod: 100000,
            CpuQuota: 50000,
            CpusetCpus: '0-1',
            CpusetMems: '0',
            PidsLimit: -1,
          },
        },
      },
    ],
    [
      [
        '--cap-add',
        'NET_ADMIN',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        '--security-opt',
        'seccomp=/seccomp.json',
        '--security-opt',
        'apparmor:unconfined',
        '--read-only',
        '--init',
        '--privileged',
        'busybox',
      ],
      {
        body: {
          ...attached,
          Image: 'busybox',
          HostConfig: {
            Privileged: true,
            ReadonlyRootfs: true,
            CapAdd: ['NET_ADMIN'],
            CapDrop: ['ALL'],
            SecurityOpt: [
              'no-new-privileges',
              'seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}',
              'apparmor:unconfined',
            ],
            Init: true,
          },
        },
      },
    ],
    [
      [
        '--ulimit',
        'nofile=1024:2048',
        '--ulimit',
        'nproc=100',
        '--ulimit',
        'core=infinity',
        '--sysctl',
        'net.ipv4.ip_forward=1',
        '--sysctl',
        'kernel.shmmax=1=2',
        '--net',
        'none',
        '--restart',
        'on-failure:3',
        '--group-add',
        'audio',
        '--add-host',
        'db:10.0.0.2',
        '--add-host',
        'v6=[::1]',
        '--add-host',
        'gw:host-gateway',
        '--dns',
        '1.1.1.1',
        '--dns-search',
        'example.com',
        '--dns-opt',
        'ndots:2',
        '--dns-option',
        'rotate',
        '--ipc',
        'host',
        'busybox',
      ],
      {
        body: {
          ...attached,
          Image: 'busybox',
          HostConfig: {
            NetworkMode: 'none',
            Ulimits: [
              { Name: 'nofile', Soft: 1024, Hard: 2048 },
              { Name: 'nproc', Soft: 100, Hard: 100 },
              { Name: 'core', Soft: -1, Hard: -1 },
            ],
            Sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1=2' },
            RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
            IpcMode: 'host',
            GroupAdd: ['audio'],
            ExtraHosts: ['db:10.0.0.2', 'v6:::1', 'gw:host-gateway'],
            Dns: ['1.1.1.1'],
            DnsSearch: ['example.com'],
            DnsOptions: ['ndots:2', 'rotate'],
          },
        },
      },
    ],
    [
      ['--rm', '--restart', 'no', 'busybox'],
      {
        body: {
          ...attached,
          Image: 'busybox',
          HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'no' } },
        },
      },
    ],
    [
      ['--cpus', '0.1', '--restart=always', 'busybox'],
      {
        body: {
          ...attached,
          Image: 'busybox',
          HostConfig: { NanoCpus: 100_000_000, RestartPolicy: { Name: 'always' } },
        },
      },
    ],
  ];
  for (const [argv, expected] of table) assert.deepEqual(await request(argv), expected, argv.join(' '));
});

test('memory sizes as docker reads them: binary units, any case, optional b', async () => {
  const table: [string, number][] = [
    ['1024', 1024],
    ['512k', 512 * 1024],
    ['512KB', 512 * 1024],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2 GiB', 2 * 1024 ** 3],
    ['1p', 1024 ** 5],
    ['10b', 10],
  ];
  for (const [value, bytes] of table)
    assert.equal((await request(['-m', value, 'busybox'])).body.HostConfig?.Memory, bytes, value);
});

test('every bad input is refused with docker wording and exit 125', async () => {
  const table: [string[], string | RegExp][] = [
    [['-m', 'x'], `invalid argument "x" for "-m, --memory" flag: invalid size: 'x'`],
    [['--memory', '1.5.x'], `invalid argument "1.5.x" for "-m, --memory" flag: invalid size: '1.5.x'`],
    [['--memory-swap', 'lots'], `invalid argument "lots" for "--memory-swap" flag: invalid size: 'lots'`],
    [['--shm-size', '-1'], `invalid argument "-1" for "--shm-size" flag: invalid size: '-1'`],
    [['--cpus', 'two'], 'invalid argument "two" for "--cpus" flag: failed to parse two as a rational number'],
    [['--cpus', '0.0000000001'], 'invalid argument "0.0000000001" for "--cpus" flag: value is too precise'],
    [
      ['-c', 'x'],
      'invalid argument "x" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "x": invalid syntax',
    ],
    [
      ['--pids-limit', '1.5'],
      'invalid argument "1.5" for "--pids-limit" flag: strconv.ParseInt: parsing "1.5": invalid syntax',
    ],
    [
      ['--stop-timeout', 'soon'],
      'invalid argument "soon" for "--stop-timeout" flag: strconv.ParseInt: parsing "soon": invalid syntax',
    ],
    [
      ['--ulimit', 'nofile'],
      'invalid argument "nofile" for "--ulimit" flag: invalid ulimit argument: nofile',
    ],
    [['--ulimit', 'files=1'], 'invalid argument "files=1" for "--ulimit" flag: invalid ulimit type: files'],
    [
      ['--ulimit', 'nofile=2:1'],
      'invalid argument "nofile=2:1" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 2 > 1',
    ],
    [
      ['--ulimit', 'nofile=1:2:3'],
      'invalid argument "nofile=1:2:3" for "--ulimit" flag: too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`',
    ],
    [
      ['--ulimit', 'nofile=x'],
      'invalid argument "nofile=x" for "--ulimit" flag: strconv.ParseInt: parsing "x": invalid syntax',
    ],
    [
      ['--restart', 'sometimes'],
      "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
    ],
    [
      ['--restart', 'always:3'],
      "invalid restart policy: maximum retry count can only be used with 'on-failure'",
    ],
    [['--restart', 'on-failure:x'], 'invalid restart policy format: maximum retry count must be an integer'],
    [['--restart', 'on-failure:-1'], 'invalid restart policy: maximum retry count cannot be negative'],
    [['--restart', ':3'], 'invalid restart policy format: no policy provided before colon'],
    [['--rm', '--restart', 'always'], 'conflicting options: cannot specify both --restart and --rm'],
    [
      ['--mount', 'type=bind,source=/a'],
      'invalid argument "type=bind,source=/a" for "--mount" flag: target is required',
    ],
    [
      ['--mount', 'type=nfs,target=/a'],
      'invalid argument "type=nfs,target=/a" for "--mount" flag: invalid mount config for type "nfs": mount type unknown',
    ],
    [
      ['--mount', 'colour=red,target=/a'],
      `invalid argument "colour=red,target=/a" for "--mount" flag: unexpected key 'colour' in 'colour=red'`,
    ],
    [
      ['--mount', 'target=/a,bind-propagation=rshared'],
      `invalid argument "target=/a,bind-propagation=rshared" for "--mount" flag: cannot mix 'bind-*' options with mount type 'volume'`,
    ],
    [
      ['--mount', 'target=/a,readonly=maybe'],
      'invalid argument "target=/a,readonly=maybe" for "--mount" flag: invalid value for readonly: maybe',
    ],
    [
      ['--mount', 'target=/a,shared'],
      `invalid argument "target=/a,shared" for "--mount" flag: invalid field 'shared' must be a key=value pair`,
    ],
    [['-v', '/a:/b:ro:x'], "invalid volume specification: '/a:/b:ro:x'"],
    [['-v', 'data'], "invalid volume specification: 'data'"],
    [['-v', '/a:rel'], "invalid volume specification: '/a:rel'"],
    [['-e', '=x'], 'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x'],
    [['-l', '=v'], `invalid argument "=v" for "-l, --label" flag: invalid label '=v': empty name`],
    [['--sysctl', '=x'], `invalid argument "=x" for "--sysctl" flag: sysctl '=x' is not allowed`],
    [
      ['--sysctl', 'net.ipv4.ip_forward'],
      `invalid argument "net.ipv4.ip_forward" for "--sysctl" flag: sysctl 'net.ipv4.ip_forward' is not allowed`,
    ],
    [['--add-host', 'db'], 'invalid argument "db" for "--add-host" flag: bad format for add-host: "db"'],
    [
      ['--add-host', 'db:nowhere'],
      'invalid argument "db:nowhere" for "--add-host" flag: invalid IP address in add-host: "nowhere"',
    ],
    [
      ['--dns', '1.2.3'],
      'invalid argument "1.2.3" for "--dns" flag: IP address is not correctly formatted: 1.2.3',
    ],
    [['--security-opt', 'seccomp'], 'Invalid --security-opt: "seccomp"'],
    [
      ['--security-opt', 'seccomp=/missing.json'],
      'opening seccomp profile (/missing.json) failed: open /missing.json: no such file or directory',
    ],
    [
      ['--security-opt', 'seccomp=/bad.json'],
      /^compacting json for seccomp profile \(\/bad\.json\) failed: /,
    ],
    [['--env-file', '/missing.env'], 'open /missing.env: no such file or directory'],
    [['--env-file', '/spaces.env'], "poorly formatted environment: variable 'A B' contains whitespaces"],
    [['--label-file', '/noname.env'], "poorly formatted environment: no variable name on line '=1'"],
    [['--bogus'], 'unknown flag: --bogus'],
    [['-x'], "unknown shorthand flag: 'x' in -x"],
    [['-dx'], "unknown shorthand flag: 'x' in -dx"],
    [
      ['--rm=maybe'],
      'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
  ];
  for (const row of table) row[0].push('busybox');
  table.push(
    [['--name'], 'flag needs an argument: --name'],
    [['-e'], "flag needs an argument: 'e' in -e"],
    [['BusyBox'], 'invalid reference format: repository name must be lowercase: "BusyBox"'],
  );
  for (const [argv, msg] of table) {
    await assert.rejects(request(argv), (err: TscomposeError) => {
      if (msg instanceof RegExp) assert.match(err.message, msg, argv.join(' '));
      else assert.equal(err.message, msg, argv.join(' '));
      assert.equal(err.exitCode, 125, argv.join(' '));
      return true;
    });
  }
});
