/** The embedded DNS server's names, from network records: who sees which name, and where other queries go. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NameIndex, type IndexedContainer } from '../../../src/engine/networks/name-index';
import type { EndpointRecord, NetworkRecord } from '../../../src/engine/networks/store';

const ID = (c: string): string => c.repeat(64);

function endpoint(name: string, ip: string, aliases: string[] = [], ifName = 'eth0'): EndpointRecord {
  return { name, endpointId: 'e', ip, mac: '02:42:00:00:00:00', aliases, hostVeth: 'v', ifName };
}

function network(
  name: string,
  endpoints: Record<string, EndpointRecord>,
  extra: Partial<NetworkRecord> = {},
): NetworkRecord {
  return {
    Id: `${name}-id`,
    Name: name,
    Driver: 'bridge',
    Internal: false,
    EnableIPv6: false,
    Attachable: false,
    Labels: {},
    Options: {},
    IPAM: { Config: [] },
    userSubnet: false,
    bridge: 'br',
    mtu: 1500,
    created: '',
    endpoints,
    ...extra,
  };
}

const records = [
  network('front', {
    [ID('a')]: endpoint('web', '10.1.0.2', ['www', 'Cache']),
    [ID('b')]: endpoint('web2', '10.1.0.3', ['www']),
    [ID('c')]: endpoint('client', '10.1.0.9'),
    [ID('d')]: endpoint('stopped', '10.1.0.4'),
    [ID('e')]: endpoint('both', '10.1.0.5', [], 'eth1'),
  }),
  network('back', {
    [ID('e')]: endpoint('both', '10.2.0.5', ['web'], 'eth0'),
    [ID('f')]: endpoint('db', '10.2.0.6'),
  }),
  network('bridge', { [ID('g')]: endpoint('legacy', '172.17.0.2') }, { builtin: true }),
  network('walled', { [ID('h')]: endpoint('inside', '10.3.0.2') }, { Internal: true }),
];

const containers: Record<string, IndexedContainer> = {
  [ID('a')]: {},
  [ID('b')]: {},
  [ID('c')]: { dns: ['192.0.2.53'], links: ['web2:Linked', '/db:/client/far', 'stopped'] },
  [ID('e')]: {},
  [ID('f')]: {},
  [ID('g')]: {},
  [ID('h')]: { dns: ['192.0.2.53'] },
};
const index = new NameIndex(records, (id) => containers[id]);

describe('name index', () => {
  it('answers names, aliases, short ids and name.network of running containers on shared networks', () => {
    assert.deepEqual(index.lookup('10.1.0.9', 'web'), ['10.1.0.2']);
    assert.deepEqual(index.lookup('10.1.0.9', 'WEB.'), ['10.1.0.2'], 'any case, with the root dot');
    assert.deepEqual(index.lookup('10.1.0.9', 'cache'), ['10.1.0.2']);
    assert.deepEqual(index.lookup('10.1.0.9', 'aaaaaaaaaaaa'), ['10.1.0.2']);
    assert.deepEqual(index.lookup('10.1.0.9', 'web2.front'), ['10.1.0.3']);
    assert.deepEqual(index.lookup('10.1.0.9', 'www'), ['10.1.0.2', '10.1.0.3'], 'every holder of an alias');
    assert.equal(index.lookup('10.1.0.9', 'stopped'), undefined, 'a stopped container has no name');
    assert.equal(index.lookup('10.1.0.9', 'db'), undefined, 'a name of a network the client is not on');
    assert.equal(index.lookup('10.1.0.9', 'aaaaaaaaaaa'), undefined, 'only the 12-character short id');
  });

  it('answers a client’s link aliases to it alone, as the linked container’s name', () => {
    assert.deepEqual(index.lookup('10.1.0.9', 'linked'), ['10.1.0.3']);
    assert.deepEqual(index.lookup('10.1.0.9', 'web2'), ['10.1.0.3'], 'the name itself still');
    assert.equal(index.lookup('10.1.0.2', 'linked'), undefined, 'not to other containers');
    assert.equal(index.lookup('10.1.0.9', 'far'), undefined, 'a link to a network it is not on');
    assert.equal(index.lookup('10.1.0.9', 'stopped'), undefined, 'a link to a stopped container');
  });

  it('asks a client’s networks in its interfaces’ order', () => {
    // `both` is on back as eth0: back's `web` (its own alias) comes before front's container.
    assert.deepEqual(index.lookup('10.2.0.5', 'web'), ['10.2.0.5']);
    assert.deepEqual(index.lookup('10.1.0.5', 'web'), ['10.2.0.5'], 'whichever of its addresses asks');
    assert.deepEqual(index.lookup('10.2.0.6', 'web'), ['10.2.0.5']);
    assert.deepEqual(index.lookup('10.2.0.6', 'web2'), undefined);
  });

  it('serves only the engine’s containers on user-defined networks', () => {
    assert.ok(index.knows('10.1.0.9'));
    assert.ok(!index.knows('10.1.0.4'), 'a stopped container');
    assert.ok(!index.knows('172.17.0.2'), 'the default bridge has no name resolution');
    assert.ok(!index.knows('192.0.2.1'));
    assert.equal(index.lookup('172.17.0.2', 'legacy'), undefined);
    assert.equal(index.lookup('192.0.2.1', 'web'), undefined);
  });

  it('answers PTR for addresses on shared networks as name.network', () => {
    assert.equal(index.reverse('10.1.0.9', '10.1.0.3'), 'web2.front');
    assert.equal(index.reverse('10.1.0.9', '10.2.0.6'), undefined);
    assert.equal(index.reverse('192.0.2.1', '10.1.0.3'), undefined);
  });

  it('forwards to the container’s own servers, the engine’s, or nowhere from an internal network', () => {
    assert.deepEqual(index.forwarders('10.1.0.9'), ['192.0.2.53']);
    assert.equal(index.forwarders('10.1.0.2'), undefined);
    assert.deepEqual(index.forwarders('10.3.0.2'), [], 'internal only: no way out, even with --dns');
    assert.deepEqual(index.forwarders('192.0.2.1'), []);
  });

  it('knows nobody when empty', () => {
    assert.equal(NameIndex.empty().knows('10.1.0.9'), false);
  });
});
