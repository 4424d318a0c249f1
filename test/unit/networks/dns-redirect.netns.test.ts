/**
 * The nft ruleset a container's namespace gets for 127.0.0.11:53: its text, and nft's own
 * check of it (`nft -c`, which changes nothing) where nft is installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { dnsRedirectRuleset } from '../../../src/engine/networks/dns/redirect';

function nftAvailable(): boolean {
  return spawnSync('nft', ['--version']).status === 0;
}

describe('dns redirect ruleset', () => {
  const text = dnsRedirectRuleset({ gateway: '172.18.0.1', port: 40053 });

  test('DNATs udp and tcp to 127.0.0.11:53 to the listener and masquerades the loopback source', () => {
    assert.match(text, /ip daddr 127\.0\.0\.11 udp dport 53 dnat to 172\.18\.0\.1:40053/);
    assert.match(text, /ip daddr 127\.0\.0\.11 tcp dport 53 dnat to 172\.18\.0\.1:40053/);
    assert.match(text, /ip saddr 127\.0\.0\.0\/8 ip daddr 172\.18\.0\.1 .*th dport 40053 masquerade/);
    assert.match(text, /type nat hook output/);
    assert.match(text, /type nat hook postrouting/);
  });

  test('refuses what would not be a rule of its own', () => {
    assert.throws(() => dnsRedirectRuleset({ gateway: '172.18.0.1; flush ruleset', port: 53 }), /gateway/);
    assert.throws(() => dnsRedirectRuleset({ gateway: 'fd00::1', port: 53 }), /gateway/);
    assert.throws(() => dnsRedirectRuleset({ gateway: '172.18.0.1', port: 0 }), /port/);
    assert.throws(() => dnsRedirectRuleset({ gateway: '172.18.0.1', port: 70000 }), /port/);
  });

  test('nft accepts it, and again over an earlier copy (check mode: nothing is changed)', (t) => {
    if (!nftAvailable()) {
      t.skip('nft is not installed');
      return;
    }
    const check = (ruleset: string) =>
      spawnSync('nft', ['-c', '-f', '-'], { input: ruleset, encoding: 'utf8' });
    const r = check(text);
    assert.equal(r.status, 0, r.stderr);
    const twice = check(text + dnsRedirectRuleset({ gateway: '10.1.0.1', port: 5353 }));
    assert.equal(twice.status, 0, twice.stderr);
    // The check itself must be able to fail, or it proves nothing.
    const bad = check(text.replace('masquerade', 'masquerad'));
    assert.notEqual(bad.status, 0);
  });
});
