/** IPAM, pure: pools that avoid what is taken, ipam.config checks, static and serial allocation, state round trip. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ADDRESS_POOLS,
  Ipam,
  IpamError,
  allocateSubnet,
  findOverlap,
  ipamForNetwork,
  parseCidr,
} from '../../../src/engine/networks/ipam';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof IpamError, String(err));
    return err.message;
  }
  assert.fail('accepted');
}

describe('allocateSubnet', () => {
  const cases: [
    string,
    readonly (string | { base: string; size: number })[],
    string[],
    number | undefined,
    string,
  ][] = [
    [
      'the default bridge gets 172.17 on an empty host',
      DEFAULT_ADDRESS_POOLS,
      [],
      undefined,
      '172.17.0.0/16',
    ],
    ['a default route blocks nothing', DEFAULT_ADDRESS_POOLS, ['0.0.0.0/0'], undefined, '172.17.0.0/16'],
    ['the next network gets 172.18', DEFAULT_ADDRESS_POOLS, ['172.17.0.0/16'], undefined, '172.18.0.0/16'],
    [
      'a host address inside a candidate skips it (interface address with host bits)',
      DEFAULT_ADDRESS_POOLS,
      ['172.17.0.0/16', '172.18.5.9/24', '172.19.0.1'],
      undefined,
      '172.20.0.0/16',
    ],
    [
      'a wide host route covering the 172.16/12 block moves to 192.168 in /20s',
      DEFAULT_ADDRESS_POOLS,
      ['172.16.0.0/12'],
      undefined,
      '192.168.0.0/20',
    ],
    [
      'a /24 host route in 192.168.0.0/20 skips that /20',
      DEFAULT_ADDRESS_POOLS,
      ['172.16.0.0/12', '192.168.1.0/24'],
      undefined,
      '192.168.16.0/20',
    ],
    ['IPv6 entries in taken are ignored', ['10.9.0.0/16'], ['fd00::/8', '::1'], undefined, '10.9.0.0/16'],
    ['a settable pool carved by prefix', ['10.9.0.0/16'], ['10.9.0.0/24', '10.9.1.7'], 24, '10.9.2.0/24'],
    [
      'pool objects keep their size',
      [{ base: '10.0.0.0/8', size: 24 }],
      ['10.0.0.0/23'],
      undefined,
      '10.0.2.0/24',
    ],
  ];
  for (const [name, pool, taken, prefix, want] of cases)
    it(name, () => assert.equal(allocateSubnet(pool, taken, prefix), want));

  it('an exhausted pool is one clear error', () => {
    assert.match(
      refusal(() => allocateSubnet(['10.9.0.0/16'], ['10.0.0.0/8'])),
      /non-overlapping IPv4 address pool/,
    );
  });
  it('a bad pool is refused', () => {
    assert.match(
      refusal(() => allocateSubnet(['nonsense'], [])),
      /invalid address pool/,
    );
    assert.match(
      refusal(() => allocateSubnet(['10.0.0.0/16'], [], 8)),
      /invalid address pool/,
    );
  });
});

describe('parseCidr / findOverlap', () => {
  for (const bad of ['1.2.3', '1.2.3.4/33', '256.1.1.1', '01.2.3.4', '1.2.3.4/', 'fe80::1/64', ''])
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(parseCidr(bad), undefined));
  it('names the first overlap', () => {
    assert.equal(findOverlap('10.1.0.0/16', ['10.2.0.0/16', '10.1.200.0/24']), '10.1.200.0/24');
    assert.equal(findOverlap('10.1.0.0/16', ['10.2.0.0/16', '0.0.0.0/0']), undefined);
  });
});

describe('Ipam', () => {
  it('gateway defaults to the first address; allocation skips it and is serial', () => {
    const ipam = Ipam.create({ subnet: '172.18.0.0/16' });
    assert.equal(ipam.gateway, '172.18.0.1');
    assert.equal(ipam.allocate(), '172.18.0.2');
    assert.equal(ipam.allocate(), '172.18.0.3');
    ipam.release('172.18.0.2');
    // A freed address is not handed out again at once (a stale ARP entry would still point at it).
    assert.equal(ipam.allocate(), '172.18.0.4');
  });

  it('ip_range bounds dynamic addresses; static ones may be anywhere in the subnet', () => {
    const ipam = Ipam.create({ subnet: '10.5.0.0/16', ipRange: '10.5.7.0/30', gateway: '10.5.0.254' });
    assert.equal(ipam.gateway, '10.5.0.254');
    assert.equal(ipam.ipRange, '10.5.7.0/30');
    assert.deepEqual(
      [ipam.allocate(), ipam.allocate(), ipam.allocate(), ipam.allocate()],
      ['10.5.7.0', '10.5.7.1', '10.5.7.2', '10.5.7.3'],
    );
    assert.match(
      refusal(() => ipam.allocate()),
      /no available IPv4 addresses/,
    );
    assert.equal(ipam.allocate('10.5.9.9'), '10.5.9.9');
    ipam.release('10.5.7.1');
    assert.equal(ipam.allocate(), '10.5.7.1');
  });

  it('a small subnet never hands out network, broadcast or gateway', () => {
    const ipam = Ipam.create({ subnet: '10.0.0.0/30' });
    assert.equal(ipam.allocate(), '10.0.0.2');
    assert.match(
      refusal(() => ipam.allocate()),
      /no available/,
    );
  });

  const staticRefusals: [string, string, RegExp][] = [
    ['outside the subnet', '10.6.0.2', /no configured subnet or ip-range contain the IP address 10.6.0.2/],
    ['the network address', '10.5.0.0', /no configured subnet/],
    ['the broadcast address', '10.5.255.255', /no configured subnet/],
    ['the gateway', '10.5.0.1', /Address already in use: 10.5.0.1/],
    ['an address already held', '10.5.0.9', /Address already in use: 10.5.0.9/],
    ['not an address', '10.5.0', /invalid IP address/],
    ['IPv6', 'fd00::2', /IPv6 is not supported/],
  ];
  for (const [name, ip, want] of staticRefusals)
    it(`a static address refused: ${name}`, () => {
      const ipam = Ipam.create({ subnet: '10.5.0.0/16' });
      ipam.allocate('10.5.0.9');
      assert.match(
        refusal(() => ipam.allocate(ip)),
        want,
      );
    });

  const configRefusals: [string, { subnet: string; ipRange?: string; gateway?: string }, RegExp][] = [
    [
      'host bits in the subnet',
      { subnet: '172.20.0.1/16' },
      /invalid subnet 172.20.0.1\/16 : it should be 172.20.0.0\/16/,
    ],
    ['a subnet without a length', { subnet: '172.20.0.0' }, /invalid subnet/],
    ['a /31', { subnet: '172.20.0.0/31' }, /too small/],
    [
      'a gateway outside',
      { subnet: '172.20.0.0/16', gateway: '172.21.0.1' },
      /no matching subnet for gateway 172.21.0.1/,
    ],
    [
      'a gateway on the broadcast',
      { subnet: '172.20.0.0/24', gateway: '172.20.0.255' },
      /no matching subnet for gateway/,
    ],
    [
      'a range outside',
      { subnet: '172.20.0.0/16', ipRange: '172.21.0.0/24' },
      /no matching subnet for range/,
    ],
    [
      'a range wider than the subnet',
      { subnet: '172.20.0.0/24', ipRange: '172.20.0.0/16' },
      /no matching subnet for range/,
    ],
    ['an IPv6 subnet', { subnet: 'fd00::/64' }, /IPv6 is not supported/],
  ];
  for (const [name, config, want] of configRefusals)
    it(`a config refused: ${name}`, () =>
      assert.match(
        refusal(() => Ipam.create(config)),
        want,
      ));

  it('state survives a round trip through JSON, allocations and the serial position included', () => {
    const a = Ipam.create({ subnet: '10.7.0.0/24', ipRange: '10.7.0.128/25' });
    a.allocate();
    a.allocate('10.7.0.5');
    a.allocate();
    a.release('10.7.0.128');
    const state = JSON.parse(JSON.stringify(a.toState()));
    assert.deepEqual(state, {
      subnet: '10.7.0.0/24',
      gateway: '10.7.0.1',
      ipRange: '10.7.0.128/25',
      allocated: ['10.7.0.5', '10.7.0.129'],
      next: '10.7.0.130',
    });
    const b = Ipam.fromState(state);
    assert.ok(b.isAllocated('10.7.0.5'));
    assert.equal(b.allocate(), '10.7.0.130');
    assert.match(
      refusal(() => b.allocate('10.7.0.129')),
      /already in use/,
    );
  });
});

describe('ipamForNetwork', () => {
  const none = { host: [], networks: [] };
  it('no config: a pool subnet avoiding host routes and other networks', () => {
    const ipam = ipamForNetwork({}, DEFAULT_ADDRESS_POOLS, {
      host: ['172.17.0.0/16'],
      networks: ['172.18.0.0/16'],
    });
    assert.equal(ipam.subnet, '172.19.0.0/16');
  });
  it('a named subnet may overlap a host route but not another engine network', () => {
    const taken = { host: ['10.1.0.0/16'], networks: ['10.2.0.0/16'] };
    assert.equal(ipamForNetwork({ config: [{ Subnet: '10.1.0.0/24' }] }, [], taken).subnet, '10.1.0.0/24');
    assert.match(
      refusal(() => ipamForNetwork({ config: [{ Subnet: '10.2.3.0/24' }] }, [], taken)),
      /Pool overlaps with other one on this address space/,
    );
  });
  it('IPv6 is refused with one line, whether asked by flag or by subnet', () => {
    assert.match(
      refusal(() => ipamForNetwork({ enableIpv6: true }, DEFAULT_ADDRESS_POOLS, none)),
      /IPv6 is not supported/,
    );
    assert.match(
      refusal(() =>
        ipamForNetwork({ config: [{ Subnet: '10.3.0.0/16' }, { Subnet: 'fd00::/64' }] }, [], none),
      ),
      /IPv6 is not supported/,
    );
  });
  it('a gateway without a subnet is refused', () => {
    assert.match(
      refusal(() => ipamForNetwork({ config: [{ Gateway: '10.0.0.1' }] }, [], none)),
      /need a subnet/,
    );
  });
});
