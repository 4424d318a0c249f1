/**
 * seccomp: profile parsing and compilation in this process (nothing is loaded here), then real
 * filters loaded into child processes (probe.ts) that try denied and ordinary syscalls.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_CAPABILITIES } from '../../../src/engine/runtime/capabilities';
import {
  CLONE_NAMESPACE_MASK,
  compileSeccomp,
  DEFAULT_PROFILE,
  parseSeccompProfile,
  SeccompProfileError,
  validateSeccompProfile,
} from '../../../src/engine/runtime/seccomp';
import type { SeccompSpec } from '../../../src/engine/runtime/spec';
import { seccomp_arch_native, seccomp_syscall_resolve_name } from '../../../src/platform/linux/seccomp';

const PROBE = path.join(__dirname, 'probe.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-seccomp-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const DOCKER_CAPS = [...DEFAULT_CAPABILITIES];
const nr = (name: string) => seccomp_syscall_resolve_name(name);
const machine = { nativeArch: seccomp_arch_native(), kernel: os.release() };
const EPERM_ACTION = 0x00050001;
const ALLOW = 0x7fff0000;

function probe(spec: SeccompSpec, caps: string[]): { status: number | null; out: Record<string, string> } {
  const r = spawnSync(process.execPath, [PROBE, JSON.stringify(spec), JSON.stringify(caps), scratch], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.stderr, '', 'probe stderr');
  return { status: r.status, out: JSON.parse(r.stdout) as Record<string, string> };
}

describe('parseSeccompProfile: malformed profiles get clear errors', () => {
  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"defaultAction": ', /seccomp profile p\.json: not valid JSON/],
    ['not an object', '[]', /must be a JSON object/],
    [
      'unknown default action',
      '{"defaultAction":"SCMP_ACT_MAYBE"}',
      /defaultAction: unknown action "SCMP_ACT_MAYBE"/,
    ],
    ['missing default action', '{"syscalls":[]}', /defaultAction: unknown action undefined/],
    ['notify', '{"defaultAction":"SCMP_ACT_NOTIFY"}', /user notification is not supported/],
    [
      'architectures and archMap',
      '{"defaultAction":"SCMP_ACT_ALLOW","architectures":[],"archMap":[]}',
      /either "architectures" or "archMap"/,
    ],
    ['syscalls not a list', '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":{}}', /syscalls must be a list/],
    [
      'name and names',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ERRNO"}]}',
      /syscalls\[0\]: use either "name" or "names"/,
    ],
    [
      'no names',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[],"action":"SCMP_ACT_ERRNO"}]}',
      /syscalls\[0\] names no syscall/,
    ],
    [
      'bad rule action',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"deny"}]}',
      /syscalls\[0\]\.action: unknown action "deny"/,
    ],
    [
      'bad op',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"EQ"}]}]}',
      /syscalls\[0\]\.args\[0\]: unknown op "EQ"/,
    ],
    [
      'arg index out of range',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]}',
      /args\[0\]\.index must be 0\.\.5/,
    ],
    [
      'negative value',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":-1,"op":"SCMP_CMP_EQ"}]}]}',
      /value must be a non-negative integer/,
    ],
    [
      'errnoRet too large',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":70000}]}',
      /errnoRet must be at most 65535/,
    ],
    [
      'caps not strings',
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","includes":{"caps":[1]}}]}',
      /includes\.caps must be a list of strings/,
    ],
  ];
  for (const [name, text, want] of bad) {
    it(name, () => {
      assert.throws(
        () => parseSeccompProfile(text, 'p.json'),
        (err: unknown) =>
          err instanceof SeccompProfileError && want.test(err.message) && err.exitCode === 125,
      );
    });
  }

  it('an unknown architecture is reported when compiling', () => {
    const p = parseSeccompProfile('{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_Z80"]}');
    assert.throws(
      () => compileSeccomp(p, [], machine, 'p.json'),
      /p\.json: unknown architecture "SCMP_ARCH_Z80"/,
    );
  });

  it('accepts the old single "name" form and null args', () => {
    const p = parseSeccompProfile(
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO","args":null}]}',
    );
    assert.deepEqual(p.syscalls[0].names, ['mkdir']);
  });
});

describe('compileSeccomp', () => {
  const compiled = compileSeccomp(DEFAULT_PROFILE, DOCKER_CAPS, machine);
  const rulesFor = (name: string, c = compiled) => c.rules.filter((r) => r.name === name);

  it('the default profile is a valid Docker-format profile with ~360 allowed names', () => {
    const roundTrip = validateSeccompProfile(JSON.parse(JSON.stringify(DEFAULT_PROFILE)));
    assert.deepEqual(roundTrip.syscalls.length, DEFAULT_PROFILE.syscalls.length);
    const allowed = new Set(compiled.rules.filter((r) => r.action === ALLOW).map((r) => r.name));
    assert.ok(allowed.size >= 340 && allowed.size <= 420, `${allowed.size} names`);
    assert.equal(compiled.defaultAction, EPERM_ACTION);
  });

  it('clone only without namespace flags; clone3 → ENOSYS', () => {
    assert.deepEqual(rulesFor('clone'), [
      {
        name: 'clone',
        nr: nr('clone'),
        action: ALLOW,
        args: [{ arg: 0, op: 7, datum_a: BigInt(CLONE_NAMESPACE_MASK), datum_b: 0n }],
      },
    ]);
    assert.deepEqual(
      rulesFor('clone3').map((r) => r.action),
      [0x00050000 | 38],
    );
  });

  it('capability-conditional syscalls follow the capabilities', () => {
    for (const name of [
      'mount',
      'umount2',
      'unshare',
      'setns',
      'reboot',
      'init_module',
      'settimeofday',
      'ptrace',
    ]) {
      const withAll = rulesFor(
        name,
        compileSeccomp(
          DEFAULT_PROFILE,
          ['CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_MODULE', 'CAP_SYS_TIME'],
          machine,
        ),
      );
      assert.equal(withAll.length, 1, `${name} with capabilities`);
      assert.equal(withAll[0].args.length, 0);
    }
    for (const name of [
      'mount',
      'umount2',
      'unshare',
      'setns',
      'reboot',
      'init_module',
      'settimeofday',
      'keyctl',
      'add_key',
      'bpf',
    ]) {
      assert.deepEqual(rulesFor(name), [], `${name} denied with Docker's default capabilities`);
    }
    assert.equal(rulesFor('chroot').length, 1, 'CAP_SYS_CHROOT is in the default set');
    assert.equal(rulesFor('chroot', compileSeccomp(DEFAULT_PROFILE, [], machine)).length, 0);
    const admin = compileSeccomp(DEFAULT_PROFILE, ['sys_admin'], machine);
    assert.deepEqual(
      rulesFor('clone', admin).map((r) => r.args.length),
      [0],
      'CAP_SYS_ADMIN (any spelling) frees clone',
    );
    assert.deepEqual(
      rulesFor('clone3', admin).map((r) => r.action),
      [ALLOW],
    );
  });

  it('includes.minKernel and includes.arches select rules by machine', () => {
    assert.equal(rulesFor('ptrace').length, 1);
    assert.equal(
      rulesFor('ptrace', compileSeccomp(DEFAULT_PROFILE, [], { ...machine, kernel: '4.4.0' })).length,
      0,
    );
    if (os.arch() === 'x64') {
      assert.equal(rulesFor('arch_prctl').length, 1);
      assert.deepEqual(compiled.arches.map((a) => a.toString(16)).sort(), ['40000003', '4000003e']);
    }
  });

  it('names unknown to libseccomp are skipped; other arches get pseudo numbers', () => {
    const p = parseSeccompProfile(
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["no_such_call","mkdir","socketcall"],"action":"SCMP_ACT_ERRNO"}]}',
    );
    const c = compileSeccomp(p, [], machine);
    assert.deepEqual(
      c.rules.map((r) => r.name),
      ['mkdir', 'socketcall'],
    );
  });

  it('repeated argument index → one rule per comparison (any of), distinct → one rule (all of)', () => {
    const p = parseSeccompProfile(
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [
          {
            names: ['socket'],
            action: 'SCMP_ACT_ERRNO',
            args: [
              { index: 0, value: 40, op: 'SCMP_CMP_EQ' },
              { index: 0, value: 1, op: 'SCMP_CMP_EQ' },
            ],
          },
          {
            names: ['personality'],
            action: 'SCMP_ACT_ERRNO',
            args: [
              { index: 0, value: 1, op: 'SCMP_CMP_GE' },
              { index: 1, value: 2, op: 'SCMP_CMP_LT' },
            ],
          },
          { names: ['getpid'], action: 'SCMP_ACT_ALLOW' },
        ],
      }),
    );
    const c = compileSeccomp(p, [], machine);
    assert.deepEqual(
      c.rules.map((r) => [r.name, r.args.length]),
      [
        ['socket', 1],
        ['socket', 1],
        ['personality', 2],
      ],
      'a rule repeating the default action is dropped',
    );
  });
});

describe('filters loaded in child processes', () => {
  it("default profile, Docker's capabilities: namespace, mount and keyring calls fail, ordinary work goes on", () => {
    const { status, out } = probe({ mode: 'default' }, DOCKER_CAPS);
    assert.equal(status, 0);
    assert.deepEqual(
      { ...out, loadMs: undefined },
      {
        loadMs: undefined,
        seccomp: '2',
        noNewPrivs: '0',
        mount: 'EPERM',
        unshare: 'EPERM',
        keyctl: 'EPERM',
        cloneNewns: 'EPERM',
        cloneSighandOnly: 'EINVAL', // passed the filter, refused by the kernel
        clone3: 'ENOSYS',
        personalityQuery: 'ok',
        personalityNoRandomize: 'EPERM',
        socketVsock: 'EPERM',
        socketUnix: 'ok',
        mkdir: 'ok',
        shell: '0:hello Seccomp: 2',
      },
    );
    assert.ok(Number(out.loadMs) < 1000, `loading took ${out.loadMs} ms`);
  });

  it('default profile with CAP_SYS_ADMIN: mount, unshare and clone reach the kernel', () => {
    const { status, out } = probe({ mode: 'default' }, [...DOCKER_CAPS, 'CAP_SYS_ADMIN']);
    assert.equal(status, 0);
    assert.equal(out.seccomp, '2');
    assert.equal(out.mount, 'ENOENT');
    assert.equal(out.unshare, 'EINVAL');
    assert.equal(out.cloneNewns, 'EINVAL');
    assert.equal(out.clone3, 'EINVAL');
    assert.equal(out.keyctl, 'EPERM', 'keyrings stay denied');
  });

  it('unconfined loads nothing', () => {
    const { status, out } = probe({ mode: 'unconfined' }, DOCKER_CAPS);
    assert.equal(status, 0);
    assert.equal(out.seccomp, '0');
    assert.equal(out.mount, 'ENOENT');
    assert.equal(out.keyctl, 'ok');
  });

  const denyMkdir = {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
    syscalls: [
      {
        names: ['mkdir', 'mkdirat'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: 13,
        excludes: { caps: ['CAP_SYS_ADMIN'] },
      },
      {
        names: ['socket'],
        action: 'SCMP_ACT_ERRNO',
        args: [
          { index: 0, value: 40, op: 'SCMP_CMP_EQ' },
          { index: 0, value: 1, op: 'SCMP_CMP_EQ' },
        ],
      },
    ],
  };

  it('a Docker-format profile (object) denying mkdir with errnoRet, and socket for two families', () => {
    const { status, out } = probe({ mode: 'custom', profile: denyMkdir }, DOCKER_CAPS);
    assert.equal(status, 0);
    assert.equal(out.seccomp, '2');
    assert.equal(out.mkdir, 'EACCES');
    assert.equal(out.socketVsock, 'EPERM');
    assert.equal(out.socketUnix, 'EPERM');
    assert.equal(out.keyctl, 'ok', 'default action allow');
    assert.equal(out.mount, 'ENOENT');
    assert.match(out.shell, /^0:hello Seccomp: 2$/);
  });

  it('the same profile as JSON text, with the excluding capability present', () => {
    const { status, out } = probe({ mode: 'custom', profile: JSON.stringify(denyMkdir) }, ['CAP_SYS_ADMIN']);
    assert.equal(status, 0);
    assert.equal(out.mkdir, 'ok');
    assert.equal(out.socketUnix, 'EPERM');
  });

  it('the default profile written out as JSON behaves as the default', () => {
    const { out } = probe({ mode: 'custom', profile: JSON.stringify(DEFAULT_PROFILE) }, DOCKER_CAPS);
    assert.equal(out.seccomp, '2');
    assert.equal(out.mount, 'EPERM');
    assert.equal(out.cloneNewns, 'EPERM');
    assert.equal(out.clone3, 'ENOSYS');
    assert.match(out.shell, /^0:hello/);
  });

  it('a malformed profile fails before anything is loaded, with a clear error', () => {
    const { status, out } = probe(
      {
        mode: 'custom',
        profile: {
          defaultAction: 'SCMP_ACT_ALLOW',
          syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOPE' }],
        },
      },
      DOCKER_CAPS,
    );
    assert.equal(status, 3);
    assert.equal(out.name, 'SeccompProfileError');
    assert.equal(out.loadError, 'seccomp profile: syscalls[0].action: unknown action "SCMP_ACT_NOPE"');
    const text = probe({ mode: 'custom', profile: '{ nope' }, DOCKER_CAPS);
    assert.equal(text.status, 3);
    assert.match(text.out.loadError, /^seccomp profile: not valid JSON/);
  });
});
