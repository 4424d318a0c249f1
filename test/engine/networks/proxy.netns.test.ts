/**
 * The userland proxy against a "container" namespace on a veth (in the test's own network
 * namespace): TCP and UDP relayed, its bounds held, and everything closed with the container.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { ProxySet, startProxy } from '../../../src/engine/networks/proxy';
import { Netns, ask, echoServer, wire } from '../../helpers/netns';

const CTR = '172.31.9.2';
const ID = 'd'.repeat(64);

/** A connection through the proxy to the keep-open echo server: its greeting, then a live socket. */
function openHeld(port: number): Promise<{ socket: net.Socket; greeting: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (d) => resolve({ socket, greeting: d.toString().trim() }));
  });
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('userland proxy', { timeout: 120_000 }, () => {
  let ctr: Netns;
  let server: ChildProcess;

  before(async () => {
    ctr = await Netns.make();
    wire(ctr, { hostName: 'tvp0', hostCidr: '172.31.9.1/24', cidr: `${CTR}/24`, gw: '172.31.9.1' });
    server = await echoServer(ctr, 80);
  });
  after(() => {
    server?.kill('SIGKILL');
    ctr?.stop();
  });

  it('relays tcp and udp (the container sees the proxy, not the client), and closes with the container', async () => {
    const set = new ProxySet();
    await set.start(ID, [
      { proto: 'tcp', hostIp: '127.0.0.1', hostPort: 7190, containerIp: CTR, containerPort: 80 },
      { proto: 'udp', hostIp: '', hostPort: 7190, containerIp: CTR, containerPort: 80 },
      { proto: 'tcp', hostIp: '', hostPort: 7191, containerIp: CTR, containerPort: 81 },
    ]);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7190), '172.31.9.1');
    assert.equal(await ask(undefined, 'udp', '127.0.0.1', 7190), '172.31.9.1');
    const held = await openHeld(7191);
    assert.equal(held.greeting, '172.31.9.1');
    held.socket.write('ping');
    const echoed = await new Promise<string>((r) => held.socket.once('data', (d) => r(d.toString())));
    assert.equal(echoed, 'ping');
    assert.equal(set.listening().length, 3);

    await set.stop(ID);
    await closed(held.socket);
    assert.equal(set.listening().length, 0);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7190, 1500), 'ERR ECONNREFUSED');
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7191, 1500), 'ERR ECONNREFUSED');
    assert.equal(await ask(undefined, 'udp', '127.0.0.1', 7190, 1500), 'ERR timeout');
  });

  it('a tcp connection past the cap is refused; the ones inside it keep working', async () => {
    const p = await startProxy(
      { proto: 'tcp', hostIp: '127.0.0.1', hostPort: 7192, containerIp: CTR, containerPort: 81 },
      { maxConnections: 1 },
    );
    const first = await openHeld(7192);
    assert.equal(p.active(), 1);
    // Past the cap the connection is closed before any byte of the container's greeting.
    const second = net.connect(7192, '127.0.0.1');
    second.on('error', () => {});
    const outcome = await new Promise<string>((r) => {
      second.once('data', (d) => r(`data ${d.toString().trim()}`));
      second.once('close', () => r('closed'));
      setTimeout(() => r('timeout'), 5000);
    });
    second.destroy();
    assert.equal(outcome, 'closed');
    first.socket.write('still');
    assert.equal(
      await new Promise<string>((r) => first.socket.once('data', (d) => r(d.toString()))),
      'still',
    );
    first.socket.end();
    await closed(first.socket);
    await p.close();
  });

  it('udp flows are capped and end when idle', async () => {
    const p = await startProxy(
      { proto: 'udp', hostIp: '127.0.0.1', hostPort: 7193, containerIp: CTR, containerPort: 80 },
      { maxUdpFlows: 1, udpIdleMs: 300 },
    );
    // Two clients at once: the first holds the one flow, the second is dropped.
    const [a, b] = await Promise.all([
      ask(undefined, 'udp', '127.0.0.1', 7193, 2000),
      new Promise<string>((r) => setTimeout(() => r(ask(undefined, 'udp', '127.0.0.1', 7193, 1000)), 50)),
    ]);
    assert.deepEqual([a, b], ['172.31.9.1', 'ERR timeout']);
    const deadline = Date.now() + 10_000;
    while (p.active() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(p.active(), 0);
    assert.equal(await ask(undefined, 'udp', '127.0.0.1', 7193), '172.31.9.1');
    await p.close();
  });

  it('a taken host port is one clear error and starts nothing', async () => {
    const set = new ProxySet();
    const blocker = await startProxy({
      proto: 'tcp',
      hostIp: '',
      hostPort: 7194,
      containerIp: CTR,
      containerPort: 80,
    });
    await assert.rejects(
      set.start(ID, [
        { proto: 'tcp', hostIp: '', hostPort: 7195, containerIp: CTR, containerPort: 80 },
        { proto: 'tcp', hostIp: '', hostPort: 7194, containerIp: CTR, containerPort: 80 },
      ]),
      /userland proxy: cannot listen on 0.0.0.0:7194\/tcp: EADDRINUSE/,
    );
    assert.equal(set.listening().length, 0);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7195, 1500), 'ERR ECONNREFUSED');
    await blocker.close();
  });
});
