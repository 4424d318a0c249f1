/**
 * The engine's nftables table on hand-made plumbing: a bridge with a "container" namespace on it
 * (echo servers on port 80), and a "remote" namespace on a veth of its own. Runs in the test's
 * own network namespace (scripts/test.js), so nothing reaches the machine's network.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { Nat, natTableName, type NatNetwork } from '../../../src/engine/networks/nat';
import { engineTag } from '../../../src/engine/networks/names';
import { runNft } from '../../../src/platform/linux/nftables';
import { Netns, ask, bridge, echoServer, ip, wire } from '../../helpers/netns';

const ROOT = '/tmp/tscompose-nat-test-root';
const ID1 = 'a'.repeat(64);
const ID2 = 'b'.repeat(64);
const STALE = 'c'.repeat(64);
// Bridges named as the engine names them (names.ts contract), so isolation between them applies.
const BR = `tsc${engineTag(ROOT)}-0`;
const BR2 = `tsc${engineTag(ROOT)}-1`;
const NET: NatNetwork = { bridge: BR, subnet: '172.30.0.0/24', internal: false };

describe('nat (nftables table of the engine)', { timeout: 300_000 }, () => {
  let ctr: Netns;
  let remote: Netns;
  let ctr2: Netns;
  const servers: ChildProcess[] = [];
  const nat = new Nat(ROOT);

  before(async () => {
    bridge(BR, '172.30.0.1/24');
    ctr = await Netns.make();
    wire(ctr, { hostName: 'tvc0', bridge: BR, cidr: '172.30.0.2/24', gw: '172.30.0.1' });
    // As the engine's bridge ports are: with br_netfilter, a container reaching its own
    // published port is sent back out of the port it came from.
    ip('link', 'set', 'tvc0', 'type', 'bridge_slave', 'hairpin', 'on');
    remote = await Netns.make();
    wire(remote, { hostName: 'tvr0', hostCidr: '10.99.0.1/24', cidr: '10.99.0.2/24', gw: '10.99.0.1' });
    bridge(BR2, '172.30.2.1/24');
    ctr2 = await Netns.make();
    wire(ctr2, { hostName: 'tvc2', bridge: BR2, cidr: '172.30.2.2/24', gw: '172.30.2.1' });
    servers.push(await echoServer(ctr, 80), await echoServer(remote, 9000), await echoServer(ctr2, 80));
    nat.reset({ networks: [NET], published: [] });
  });

  after(() => {
    for (const s of servers) s.kill('SIGKILL');
    ctr?.stop();
    remote?.stop();
    ctr2?.stop();
    try {
      nat.close();
    } catch {
      // already gone
    }
  });

  it('the table is named from the root', () => {
    assert.match(nat.table, /^tscompose_[0-9a-f]{6}$/);
    assert.equal(nat.table, natTableName(ROOT));
    assert.notEqual(natTableName('/tmp/other-root'), nat.table);
  });

  it('a published tcp and udp port answers on 127.0.0.1 (from the bridge address) and from another namespace (client address kept)', async () => {
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 8080, 1500), 'ERR ECONNREFUSED');
    nat.publish(ID1, '172.30.0.2', [
      { proto: 'tcp', hostPort: 8080, containerPort: 80 },
      { proto: 'udp', hostPort: 8080, containerPort: 80 },
    ]);
    assert.equal(fs.readFileSync(`/proc/sys/net/ipv4/conf/${BR}/route_localnet`, 'utf8').trim(), '1');
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 8080), '172.30.0.1');
    assert.equal(await ask(undefined, 'udp', '127.0.0.1', 8080), '172.30.0.1');
    assert.equal(await ask(remote, 'tcp', '10.99.0.1', 8080), '10.99.0.2');
    assert.equal(await ask(remote, 'udp', '10.99.0.1', 8080), '10.99.0.2');
  });

  it('hairpin: the container reaches its own published port through the host address', async () => {
    assert.equal(await ask(ctr, 'tcp', '10.99.0.1', 8080), '172.30.0.1');
  });

  it('host_ip limits a port to one host address', async () => {
    nat.publish(ID2, '172.30.0.2', [
      { proto: 'tcp', hostIp: '10.99.0.1', hostPort: 8081, containerPort: 80 },
    ]);
    assert.equal(await ask(remote, 'tcp', '10.99.0.1', 8081), '10.99.0.2');
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 8081, 1500), 'ERR ECONNREFUSED');
  });

  it('masquerade: the container reaches the remote namespace as the host', async () => {
    assert.equal(await ask(ctr, 'tcp', '10.99.0.2', 9000), '10.99.0.1');
  });

  it('networks are isolated from each other; each still reaches out', async () => {
    nat.network({ bridge: BR2, subnet: '172.30.2.0/24', internal: false });
    assert.equal(await ask(ctr, 'tcp', '172.30.2.2', 80, 1500), 'ERR timeout');
    assert.equal(await ask(ctr2, 'tcp', '172.30.0.2', 80, 1500), 'ERR timeout');
    assert.equal(await ask(ctr2, 'tcp', '10.99.0.2', 9000), '10.99.0.1');
    // A published port is reachable from another network through the host's address.
    assert.equal(await ask(ctr2, 'tcp', '10.99.0.1', 8080), '172.30.0.1');
    nat.removeNetwork(BR2);
    assert.ok(!nat.rules().some((r) => r.comment === `net:${BR2}`));
  });

  it('internal: the way out and in is closed, the gateway still answers; back to normal after', async () => {
    nat.network({ ...NET, internal: true });
    assert.equal(await ask(ctr, 'tcp', '10.99.0.2', 9000, 1500), 'ERR timeout');
    assert.equal(await ask(remote, 'tcp', '172.30.0.2', 80, 1500), 'ERR timeout');
    nat.network(NET);
    assert.equal(await ask(ctr, 'tcp', '10.99.0.2', 9000), '10.99.0.1');
  });

  it('unpublish removes exactly the rules of that container', async () => {
    const before = nat.rules();
    nat.unpublish(ID1);
    const afterRules = nat.rules();
    assert.deepEqual(
      afterRules.map((r) => r.handle),
      before.filter((r) => r.comment !== `ctr:${ID1}`).map((r) => r.handle),
    );
    assert.equal(before.filter((r) => r.comment === `ctr:${ID1}`).length, 2);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 8080, 1500), 'ERR ECONNREFUSED');
    assert.equal(await ask(remote, 'tcp', '10.99.0.1', 8081), '10.99.0.2');
  });

  it('reset after a crash keeps what the records hold and drops the rest; another root is untouched', async () => {
    const other = new Nat('/tmp/tscompose-nat-other-root');
    other.reset({ networks: [], published: [] });
    // What a daemon killed mid-way left: a stale publisher and a rule of no owner.
    nat.publish(STALE, '172.30.0.9', [{ proto: 'tcp', hostPort: 8082, containerPort: 80 }]);
    runNft(`add rule inet ${nat.table} postrouting counter comment "junk"`);
    const restarted = new Nat(ROOT);
    const problems = restarted.reset({
      networks: [NET, { bridge: '..', subnet: '10.0.0.0/8', internal: false }],
      published: [
        {
          containerId: ID1,
          containerIp: '172.30.0.2',
          bindings: [{ proto: 'tcp', hostPort: 8080, containerPort: 80 }],
        },
      ],
    });
    assert.deepEqual(problems, ['network ..: invalid bridge name ".."']);
    const comments = restarted.rules().map((r) => r.comment ?? '');
    assert.ok(
      !comments.includes(`ctr:${STALE}`) && !comments.includes('junk') && !comments.includes(`ctr:${ID2}`),
      String(comments),
    );
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 8080), '172.30.0.1');
    assert.ok(other.rules().length > 0, 'the other engine table is still there');
    other.close();
  });

  it('close removes the whole table; bad input is refused before anything runs', () => {
    assert.throws(() => nat.publish('x"; flush ruleset; "', '172.30.0.2', []), /invalid container id/);
    assert.throws(
      () => nat.publish(ID1, '172.30.0.2', [{ proto: 'tcp', hostPort: 70000, containerPort: 80 }]),
      /invalid port/,
    );
    assert.throws(() => nat.network({ ...NET, bridge: 'br" accept' }), /invalid bridge name/);
    nat.close();
    assert.doesNotMatch(runNft('list tables'), new RegExp(nat.table));
  });
});
