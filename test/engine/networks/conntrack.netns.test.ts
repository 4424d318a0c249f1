/**
 * UDP flows and published ports: a UDP client that keeps sending keeps the NAT its first packet
 * got, so unpublishing a port flushes its conntrack entries, and publishing it again (here to
 * another container) flushes what was made meanwhile: the same client socket reaches the new
 * holder at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { ChildProcess } from 'node:child_process';
import { Nat, type NatNetwork } from '../../../src/engine/networks/nat';
import { engineTag } from '../../../src/engine/networks/names';
import { PortPublisher } from '../../../src/engine/networks/publisher';
import { IPPROTO_UDP, listConntrack } from '../../../src/platform/linux/netlink/conntrack';
import { Netns, bridge, wire } from '../../helpers/netns';

const ROOT = '/tmp/tscompose-conntrack-test-root';
const BR = `tsc${engineTag(ROOT)}-0`;
const NET: NatNetwork = { bridge: BR, subnet: '172.30.7.0/24', internal: false };
const GW = '172.30.7.1';
const HOST_PORT = 7401;
const CLIENT_PORT = 7402;

/** A UDP server in `ns` on 5353 that answers every datagram with `name`. */
async function namedServer(ns: Netns, name: string): Promise<ChildProcess> {
  const code = `const u = require('node:dgram').createSocket('udp4');
u.on('message', (m, r) => u.send(process.argv[1], r.port, r.address));
u.bind(5353, () => console.log('ready'));`;
  const p = ns.spawn(process.execPath, ['-e', code, name]);
  await new Promise<void>((resolve, reject) => {
    p.stdout?.once('data', () => resolve());
    p.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  return p;
}

describe('published UDP ports and conntrack', { timeout: 60_000 }, () => {
  const nat = new Nat(ROOT);
  const spaces: Netns[] = [];
  const servers: ChildProcess[] = [];
  let client: dgram.Socket;

  before(async () => {
    bridge(BR, `${GW}/24`);
    for (const [i, name] of ['a', 'b'].entries()) {
      const ns = await Netns.make();
      spaces.push(ns);
      wire(ns, { hostName: `tvct${i}`, bridge: BR, cidr: `172.30.7.${i + 2}/24`, gw: GW });
      servers.push(await namedServer(ns, name));
    }
    nat.reset({ networks: [NET], published: [] });
    client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(CLIENT_PORT, '127.0.0.1', r));
  });
  after(() => {
    client?.close();
    for (const p of servers) p.kill('SIGKILL');
    for (const ns of spaces) ns.stop();
    nat.close();
  });

  /** The answer to one datagram from the same client socket, or `timeout`. */
  function ask(): Promise<string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('timeout'), 1_000);
      const onMessage = (m: Buffer): void => done(m.toString());
      const done = (v: string): void => {
        clearTimeout(timer);
        client.off('message', onMessage);
        resolve(v);
      };
      client.on('message', onMessage);
      client.send('x', HOST_PORT, '127.0.0.1');
    });
  }
  const flows = (): number => listConntrack(IPPROTO_UDP, HOST_PORT).length;

  it('unpublish flushes the port flows; publishing again reaches the new holder from the same socket', async () => {
    const pub = new PortPublisher(nat, { userlandProxy: false });
    const bindings = { '5353/udp': [{ HostIp: '127.0.0.1', HostPort: String(HOST_PORT) }] };
    await pub.publish('a'.repeat(64), '172.30.7.2', bindings);
    assert.equal(await ask(), 'a');
    assert.ok(flows() >= 1, 'the flow is tracked');
    await pub.unpublish('a'.repeat(64));
    assert.equal(flows(), 0, 'unpublish flushed it');

    // Sent while nothing is published: the flow is tracked without NAT...
    assert.equal(await ask(), 'timeout');
    assert.ok(flows() >= 1);
    // ...and publishing flushes it, so the next datagram is DNATed to the new holder.
    await pub.publish('b'.repeat(64), '172.30.7.3', bindings);
    assert.equal(await ask(), 'b');
    await pub.unpublish('b'.repeat(64));
    assert.equal(flows(), 0);
  });
});
