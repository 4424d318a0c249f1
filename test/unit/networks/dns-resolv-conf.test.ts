/**
 * The host's resolver settings read from synthetic files: docker's systemd-resolved rule, the
 * upstreams the embedded DNS server forwards to, a container's own servers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readEngineConfig } from '../../../src/engine/engine-config';
import {
  containerForwarders,
  hostResolvConf,
  hostResolvConfPath,
  parseResolvConf,
  upstreams,
} from '../../../src/engine/networks/dns/resolv-conf';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-resolv-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}
const port53 = (...addresses: string[]) => addresses.map((address) => ({ address, port: 53 }));

describe('resolv.conf', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('parsing: comments, the last search line, options adding up', () => {
    const rc = parseResolvConf(
      [
        '# generated',
        'nameserver 192.0.2.1 # office',
        ';nameserver 192.0.2.9',
        'domain a.example',
        'search b.example c.example',
        'options ndots:2',
        'options rotate',
        '  nameserver   2001:db8::1  ',
        'nameserver',
      ].join('\n'),
    );
    assert.deepEqual(rc, {
      nameservers: ['192.0.2.1', '2001:db8::1'],
      search: ['b.example', 'c.example'],
      options: ['ndots:2', 'rotate'],
    });
  });

  test("systemd-resolved's stub alone: the servers of systemd-resolved's own list are used", () => {
    const stub = file(
      'stub.conf',
      '# systemd-resolved stub\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n',
    );
    const real = file('real.conf', 'nameserver 192.0.2.53\nnameserver 198.51.100.53\nsearch lan\n');
    assert.equal(hostResolvConfPath(stub, real), real);
    assert.deepEqual(upstreams(stub, real), port53('192.0.2.53', '198.51.100.53'));
    assert.match(hostResolvConf(stub, real), /198\.51\.100\.53/);
  });

  test('the stub when systemd-resolved keeps no list: the stub itself (the engine reaches the host loopback)', () => {
    const stub = file('stub2.conf', 'nameserver 127.0.0.53\n');
    const missing = path.join(dir, 'absent.conf');
    assert.equal(hostResolvConfPath(stub, missing), stub);
    assert.deepEqual(upstreams(stub, missing), port53('127.0.0.53'));
  });

  test('the stub beside another server: the file as it is', () => {
    const mixed = file('mixed.conf', 'nameserver 127.0.0.53\nnameserver 192.0.2.1\n');
    const real = file('real2.conf', 'nameserver 203.0.113.1\n');
    assert.equal(hostResolvConfPath(mixed, real), mixed);
    assert.deepEqual(upstreams(mixed, real), port53('127.0.0.53', '192.0.2.1'));
  });

  test('a local dnsmasq, IPv6 with a zone, junk, duplicates and more than three servers', () => {
    const p = file(
      'many.conf',
      [
        'nameserver 127.0.1.1',
        'nameserver not-an-address',
        'nameserver fe80::1%eth0',
        'nameserver fe80::2%e/th0',
        'nameserver 127.0.1.1',
        'nameserver 192.0.2.1',
        'nameserver 192.0.2.2',
      ].join('\n'),
    );
    assert.deepEqual(
      upstreams(p, path.join(dir, 'absent.conf')),
      port53('127.0.1.1', 'fe80::1%eth0', '192.0.2.1'),
    );
  });

  test('no file, an empty one, a directory or a device: no upstreams', () => {
    const absent = path.join(dir, 'absent.conf');
    assert.deepEqual(upstreams(absent, absent), []);
    assert.deepEqual(upstreams(file('empty.conf', ''), absent), []);
    assert.deepEqual(upstreams(dir, absent), []);
    assert.deepEqual(upstreams('/dev/zero', absent), []);
    assert.equal(hostResolvConf(absent, absent), '');
  });

  test("a container's own servers: loopback ones (its own loopback) are left out", () => {
    assert.deepEqual(
      containerForwarders(['127.0.0.1', '::1', '192.0.2.1', 'bogus', '2001:db8::53']),
      port53('192.0.2.1', '2001:db8::53'),
    );
    assert.deepEqual(containerForwarders(['127.0.0.11']), []);
  });

  test('the path is the engine setting "resolv-conf" (an absolute path), /etc/resolv.conf by default', () => {
    const config = file(
      'engine.json',
      JSON.stringify({ 'resolv-conf': file('set.conf', 'nameserver 192.0.2.77\n') }),
    );
    const setting = readEngineConfig({ TSCOMPOSE_CONFIG: config })['resolv-conf'];
    assert.deepEqual(upstreams(setting, path.join(dir, 'absent.conf')), port53('192.0.2.77'));
    fs.writeFileSync(config, JSON.stringify({ 'resolv-conf': 'relative/resolv.conf' }));
    assert.throws(
      () => readEngineConfig({ TSCOMPOSE_CONFIG: config }),
      /"resolv-conf" must be an absolute path/,
    );
    assert.equal(hostResolvConfPath(undefined, path.join(dir, 'absent.conf')), '/etc/resolv.conf');
  });
});
