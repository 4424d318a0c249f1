/**
 * The nft ruleset a container's namespace gets for 127.0.0.11:53: its text, and nft's own
 * check of it (`nft -c`, which changes nothing) where nft is installed.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { dnsRedirectRuleset, REDIRECT_SYSCTLS } from '../../../src/engine/networks/dns/redirect';
import { DnsServer } from '../../../src/engine/networks/dns/server';

const run = promisify(execFile);

function nftAvailable(): boolean {
  return spawnSync('nft', ['--version']).status === 0;
}

/** True in the namespace scripts/test.js makes for a *.netns.test file (loopback and nothing else). */
function inOwnNetns(): boolean {
  const links = fs
    .readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':', 1)[0].trim())
    .filter(Boolean);
  return links.length === 1 && links[0] === 'lo';
}

/** Asks 127.0.0.11:53 for `name` over UDP and TCP from inside the namespace of `pid`; prints the answers. */
async function askFromNamespace(
  pid: number,
  name: string,
  timeoutMs: number,
): Promise<{ udp: string[]; tcp: string[] }> {
  const helper = path.join(__dirname, '..', '..', 'helpers', 'dns-upstream.js');
  const script = `
    const h = require(${JSON.stringify(helper)});
    const dns = require('dns-packet');
    const data = (r) => (r ? (dns.decode(r).answers || []).map((a) => a.data) : []);
    (async () => {
      const udp = data(await h.askUdp(53, h.queryPacket(${JSON.stringify(name)}), ${timeoutMs}, '127.0.0.11'));
      const t = await h.askTcp(53, h.framed(h.queryPacket(${JSON.stringify(name)})), 1, ${timeoutMs}, '127.0.0.11');
      console.log(JSON.stringify({ udp, tcp: data(t.replies[0]) }));
    })();`;
  const { stdout } = await run('nsenter', [`--net=/proc/${pid}/ns/net`, process.execPath, '-e', script], {
    cwd: path.join(__dirname, '..', '..', '..', '..'),
  });
  return JSON.parse(stdout) as { udp: string[]; tcp: string[] };
}

describe('dns redirect ruleset', { timeout: 120_000 }, () => {
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

  test('from a namespace with the rules and route_localnet, 127.0.0.11:53 reaches the server on the gateway, UDP and TCP', async (t) => {
    if (!nftAvailable() || !inOwnNetns()) {
      t.skip('needs nft and the network namespace scripts/test.js runs *.netns.test files in');
      return;
    }
    // A stand-in for a container: a namespace of its own joined to this one by a veth pair.
    const child = spawn('unshare', ['--net', 'sleep', '120'], { stdio: 'ignore' });
    const clients: string[] = [];
    const server = new DnsServer({
      resolver: {
        lookup: (client, name) => {
          clients.push(client);
          return name === 'web' ? ['10.77.0.9'] : undefined;
        },
      },
      upstreams: [],
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const pid = child.pid!;
      const inChild = (...args: string[]) => execFileSync('nsenter', [`--net=/proc/${pid}/ns/net`, ...args]);
      execFileSync('ip', ['link', 'add', 'tscdnsh', 'type', 'veth', 'peer', 'name', 'tscdnsc']);
      execFileSync('ip', ['link', 'set', 'tscdnsc', 'netns', String(pid)]);
      execFileSync('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'tscdnsh']);
      execFileSync('ip', ['link', 'set', 'tscdnsh', 'up']);
      inChild('ip', 'link', 'set', 'lo', 'up');
      inChild('ip', 'addr', 'add', '10.77.0.2/24', 'dev', 'tscdnsc');
      inChild('ip', 'link', 'set', 'tscdnsc', 'up');
      const port = await server.listen('10.77.0.1');
      execFileSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'nft', '-f', '-'], {
        input: dnsRedirectRuleset({ gateway: '10.77.0.1', port }),
      });
      // Without route_localnet the kernel refuses to route the loopback-sourced query out.
      assert.deepEqual(await askFromNamespace(pid, 'web', 1000), { udp: [], tcp: [] });
      for (const key of REDIRECT_SYSCTLS) inChild('sh', '-c', `echo 1 > /proc/sys/${key}`);
      assert.deepEqual(await askFromNamespace(pid, 'web', 5000), { udp: ['10.77.0.9'], tcp: ['10.77.0.9'] });
      assert.deepEqual([...new Set(clients)], ['10.77.0.2'], "the server sees the container's address");
    } finally {
      await server.close();
      child.kill('SIGKILL');
      spawnSync('ip', ['link', 'del', 'tscdnsh']);
    }
  });
});
