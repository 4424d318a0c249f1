import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateSubnet, DEFAULT_POOL, Ipam } from '../../../src/engine/networks/address-pool';
import { bridgeName, engineTag, hostVethName } from '../../../src/engine/networks/names';

describe('subnets from the pool', () => {
  it('the first that overlaps nothing the host or another network uses', () => {
    assert.equal(allocateSubnet(DEFAULT_POOL, []), '172.17.0.0/16');
    assert.equal(allocateSubnet(DEFAULT_POOL, ['172.17.0.1/16', '172.18.5.0/24']), '172.19.0.0/16');
    // A wider route covering part of the pool rules out every subnet inside it.
    assert.equal(allocateSubnet(DEFAULT_POOL, ['172.16.0.0/12']), '192.168.0.0/20');
    assert.equal(allocateSubnet(['10.0.0.0/8'], ['10.0.0.0/24'], 24), '10.0.1.0/24');
    assert.equal(allocateSubnet(DEFAULT_POOL, ['garbage', '::1/128', '0.0.0.0/32']), '172.17.0.0/16');
  });
  it('none left is an error, not a clash', () =>
    assert.throws(() => allocateSubnet(['10.1.0.0/16'], ['10.0.0.0/8']), /could not find an available/));
});

describe('addresses of a network', () => {
  it('gateway first, then the next free address; requested ones are checked', () => {
    const ipam = new Ipam('10.5.0.0/29', undefined, undefined, ['10.5.0.2']);
    assert.equal(ipam.gateway, '10.5.0.1');
    assert.equal(ipam.allocate(), '10.5.0.3');
    assert.equal(ipam.allocate('10.5.0.6'), '10.5.0.6');
    assert.throws(() => ipam.allocate('10.5.0.6'), /^Error: Address already in use$/);
    assert.throws(
      () => ipam.allocate('10.5.0.1'),
      /no configured subnet or ip-range contain the IP address 10.5.0.1/,
    );
    assert.throws(
      () => ipam.allocate('10.5.0.7'),
      /contain the IP address 10.5.0.7/,
      'the broadcast address',
    );
    assert.throws(() => ipam.allocate('10.6.0.2'), /contain the IP address/);
    assert.equal(ipam.allocate(), '10.5.0.4');
    assert.equal(ipam.allocate(), '10.5.0.5');
    assert.throws(() => ipam.allocate(), /no available IPv4 addresses/);
    ipam.release('10.5.0.3');
    assert.equal(ipam.allocate(), '10.5.0.3');
  });
  it('an ip-range narrows what is handed out, not the subnet', () => {
    const ipam = new Ipam('10.7.0.0/24', '10.7.0.254', '10.7.0.128/25', []);
    assert.equal(ipam.allocate(), '10.7.0.128');
    assert.equal(ipam.allocate('10.7.0.9'), '10.7.0.9');
  });
});

describe('names of the engine links', () => {
  it('fit IFNAMSIZ, carry the tag of the root, and differ between roots', () => {
    const id = 'ab'.repeat(32);
    assert.equal(engineTag('/var/lib/tscompose').length, 6);
    assert.equal(bridgeName('/r1', id).length, 15);
    assert.ok(bridgeName('/r1', id).startsWith(`tsc${engineTag('/r1')}-`));
    assert.notEqual(bridgeName('/r1', id), bridgeName('/r2', id));
    assert.equal(hostVethName('/r1', 'c'.repeat(64), id).length, 13);
    assert.notEqual(hostVethName('/r1', 'c'.repeat(64), id), hostVethName('/r1', 'd'.repeat(64), id));
  });
});
