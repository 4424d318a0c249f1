/**
 * The /etc/hosts and /etc/resolv.conf of a container on a bridge network: its own address,
 * names and aliases; the embedded server at 127.0.0.11 on a user-defined network; the host's
 * reachable servers (or docker's fallback) on the default bridge.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bridgedHostsFile,
  embeddedDnsResolvConfFile,
  resolvConfFile,
} from '../../../src/engine/containers/etc-files';

const HOST_RESOLV = 'nameserver 192.0.2.1\nsearch corp.example\noptions edns0\n';

describe('etc files on bridge networks', () => {
  test('/etc/hosts: localhost lines, extra hosts, then each address with the names and aliases', () => {
    const text = bridgedHostsFile(
      { ExtraHosts: ['gw:10.0.0.1'] },
      'web',
      'example.com',
      ['172.18.0.2', 'fd00::2'],
      ['api', 'web', 'api', 'cache'],
    );
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], '127.0.0.1\tlocalhost');
    assert.ok(lines.includes('::1\tlocalhost ip6-localhost ip6-loopback'));
    assert.deepEqual(lines.slice(-3), [
      '10.0.0.1\tgw',
      '172.18.0.2\tweb.example.com web api cache',
      'fd00::2\tweb.example.com web api cache',
    ]);
    assert.ok(!text.includes('127.0.1.1'), 'the loopback stand-in of an unnetworked container is gone');
    assert.ok(text.endsWith('\n'));
  });

  test('/etc/hosts: an alias or address that would add words or lines is refused', () => {
    assert.throws(
      () => bridgedHostsFile({}, 'web', undefined, ['172.18.0.2'], ['a b']),
      /invalid network alias/,
    );
    assert.throws(() => bridgedHostsFile({}, 'web', undefined, ['172.18.0.2'], ['a\n1.2.3.4 evil']), /alias/);
    assert.throws(() => bridgedHostsFile({}, 'web', undefined, ['172.18.0.2 evil'], []), /invalid IP/);
  });

  test('resolv.conf on a user-defined network: 127.0.0.11, the host search and options, ndots:0', () => {
    assert.equal(
      embeddedDnsResolvConfFile({}, HOST_RESOLV),
      'nameserver 127.0.0.11\nsearch corp.example\noptions edns0 ndots:0\n',
    );
  });

  test('resolv.conf on a user-defined network: --dns servers stay with the engine, --dns-search/--dns-opt are written', () => {
    const text = embeddedDnsResolvConfFile(
      { Dns: ['198.51.100.1'], DnsSearch: ['a.example'], DnsOptions: ['ndots:3', 'timeout:1'] },
      HOST_RESOLV,
    );
    assert.equal(text, 'nameserver 127.0.0.11\nsearch a.example\noptions ndots:3 timeout:1\n');
    assert.equal(
      embeddedDnsResolvConfFile({ DnsSearch: ['.'], DnsOptions: ['ndots:x'] }, HOST_RESOLV),
      'nameserver 127.0.0.11\noptions ndots:0\n',
    );
    assert.throws(
      () => embeddedDnsResolvConfFile({ DnsOptions: ['a\nnameserver 6.6.6.6'] }, HOST_RESOLV),
      /invalid DNS option/,
    );
  });

  test('resolv.conf on the default bridge: the host servers the container reaches, else 8.8.8.8 and 8.8.4.4', () => {
    // The default bridge has no embedded server: the file is written as for a namespace of its own.
    assert.equal(resolvConfFile('none', {}, HOST_RESOLV), HOST_RESOLV);
    assert.equal(
      resolvConfFile('none', {}, 'nameserver 127.0.0.53\noptions edns0\n'),
      'options edns0\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n',
    );
  });
});
