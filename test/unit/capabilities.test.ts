import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAPABILITY_NAMES,
  CapabilityError,
  capabilitiesFromMask,
  capabilityMask,
  capabilityNumber,
  DEFAULT_CAPABILITIES,
  formatCapabilityMask,
  normalizeCapability,
  resolveCapabilities,
} from '../../src/engine/runtime/capabilities';

describe('capability table', () => {
  const numbers: [string, number][] = [
    ['CAP_CHOWN', 0],
    ['CAP_DAC_OVERRIDE', 1],
    ['CAP_SETPCAP', 8],
    ['CAP_NET_ADMIN', 12],
    ['CAP_NET_RAW', 13],
    ['CAP_SYS_CHROOT', 18],
    ['CAP_SYS_PTRACE', 19],
    ['CAP_SYS_ADMIN', 21],
    ['CAP_MKNOD', 27],
    ['CAP_AUDIT_WRITE', 29],
    ['CAP_SETFCAP', 31],
    ['CAP_SYSLOG', 34],
    ['CAP_PERFMON', 38],
    ['CAP_BPF', 39],
    ['CAP_CHECKPOINT_RESTORE', 40],
  ];
  for (const [name, n] of numbers) {
    it(`${name} = ${n}`, () => assert.equal(capabilityNumber(name), n));
  }

  it('has 41 capabilities with unique names', () => {
    assert.equal(CAPABILITY_NAMES.length, 41);
    assert.equal(new Set(CAPABILITY_NAMES).size, 41);
  });

  it("Docker's default set is CapEff 00000000a80425fb", () => {
    assert.equal(formatCapabilityMask(capabilityMask(DEFAULT_CAPABILITIES)), '00000000a80425fb');
    assert.deepEqual(capabilitiesFromMask(0xa80425fbn), [...DEFAULT_CAPABILITIES]);
  });

  it('the full set is 000001ffffffffff', () => {
    assert.equal(formatCapabilityMask(capabilityMask(CAPABILITY_NAMES)), '000001ffffffffff');
  });
});

describe('normalizeCapability', () => {
  const cases: [string, string][] = [
    ['NET_ADMIN', 'CAP_NET_ADMIN'],
    ['net_admin', 'CAP_NET_ADMIN'],
    ['cap_net_admin', 'CAP_NET_ADMIN'],
    ['Cap_Sys_Admin', 'CAP_SYS_ADMIN'],
    [' chown ', 'CAP_CHOWN'],
    ['all', 'ALL'],
    ['ALL', 'ALL'],
  ];
  for (const [input, want] of cases)
    it(`${JSON.stringify(input)} → ${want}`, () => assert.equal(normalizeCapability(input), want));

  for (const bad of ['NET_ADMINN', 'CAP_', '', 'SYS-ADMIN', 'CAP_FOO']) {
    it(`rejects ${JSON.stringify(bad)} with a clear error`, () => {
      assert.throws(
        () => normalizeCapability(bad),
        (err: unknown) => err instanceof CapabilityError && err.message === `unknown capability: "${bad}"`,
      );
    });
  }
});

describe('resolveCapabilities (Docker daemon semantics)', () => {
  const D = [...DEFAULT_CAPABILITIES];
  const without = (list: string[], ...drop: string[]) => list.filter((c) => !drop.includes(c));
  const sorted = (list: string[]) => CAPABILITY_NAMES.filter((c) => list.includes(c));
  const cases: { name: string; add?: string[]; drop?: string[]; privileged?: boolean; want: string[] }[] = [
    { name: 'nothing → default set', want: D },
    { name: 'add one', add: ['NET_ADMIN'], want: sorted([...D, 'CAP_NET_ADMIN']) },
    { name: 'add with prefix, lower case', add: ['cap_sys_ptrace'], want: sorted([...D, 'CAP_SYS_PTRACE']) },
    { name: 'add one already in the set', add: ['CHOWN'], want: D },
    { name: 'drop one', drop: ['NET_RAW'], want: without(D, 'CAP_NET_RAW') },
    { name: 'drop one not in the set', drop: ['SYS_ADMIN'], want: D },
    { name: 'drop ALL', drop: ['ALL'], want: [] },
    {
      name: 'drop ALL, add back one',
      add: ['NET_BIND_SERVICE'],
      drop: ['all'],
      want: ['CAP_NET_BIND_SERVICE'],
    },
    { name: 'add ALL', add: ['ALL'], want: [...CAPABILITY_NAMES] },
    {
      name: 'add ALL, drop one: the drop wins',
      add: ['ALL'],
      drop: ['SYS_ADMIN'],
      want: without([...CAPABILITY_NAMES], 'CAP_SYS_ADMIN'),
    },
    { name: 'add ALL and drop ALL', add: ['ALL'], drop: ['ALL'], want: [...CAPABILITY_NAMES] },
    { name: 'same default cap in both: the add keeps it', add: ['CHOWN'], drop: ['CHOWN'], want: D },
    {
      name: 'same extra cap in both: the add keeps it',
      add: ['NET_ADMIN'],
      drop: ['net_admin'],
      want: sorted([...D, 'CAP_NET_ADMIN']),
    },
    { name: 'privileged → everything', drop: ['ALL'], privileged: true, want: [...CAPABILITY_NAMES] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(resolveCapabilities(c.add, c.drop, c.privileged), c.want));
  }

  it('unknown names are an error even when privileged', () => {
    assert.throws(() => resolveCapabilities(['NET_ADMIN', 'BOGUS']), /unknown capability: "BOGUS"/);
    assert.throws(() => resolveCapabilities([], ['nope'], true), CapabilityError);
  });
});
