/**
 * Publishing as one step (allocator + DNAT + proxies) on hand-made plumbing in the test's own
 * network namespace: random ports reported, IPv6 clients served by the proxy, a taken port
 * refused before anything exists, unpublish and restart leave exactly what they should.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { Nat, type NatNetwork } from '../../../src/engine/networks/nat';
import { engineTag } from '../../../src/engine/networks/names';
import { PortError } from '../../../src/engine/networks/ports';
import { PortPublisher } from '../../../src/engine/networks/publisher';
import { Netns, ask, bridge, echoServer, wire } from '../../helpers/netns';

const ROOT = '/tmp/tscompose-publisher-test-root';
const BR = `tsc${engineTag(ROOT)}-0`;
const NET: NatNetwork = { bridge: BR, subnet: '172.30.5.0/24', internal: false };
const IP = '172.30.5.2';
const GW = '172.30.5.1';
const ID = '3'.repeat(64);
const ID2 = '4'.repeat(64);

describe('PortPublisher', { timeout: 300_000 }, () => {
  let ctr: Netns;
  let server: ChildProcess;
  let holder: ChildProcess;
  const nat = new Nat(ROOT);

  before(async () => {
    bridge(BR, `${GW}/24`);
    ctr = await Netns.make();
    wire(ctr, { hostName: 'tvq0', bridge: BR, cidr: `${IP}/24`, gw: GW });
    server = await echoServer(ctr, 80);
    holder = spawn(
      process.execPath,
      ['-e', "require('net').createServer().listen(7302, '0.0.0.0', () => console.log('ready'))"],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise((r) => holder.stdout?.once('data', r));
    nat.reset({ networks: [NET], published: [] });
  });
  after(() => {
    server?.kill('SIGKILL');
    holder?.kill('SIGKILL');
    ctr?.stop();
    nat.close();
  });

  const ours = (id: string) => nat.rules().filter((r) => r.comment === `ctr:${id}`).length;

  it('publishes: a random port reported, tcp and udp on 127.0.0.1 (DNAT) and ::1 (proxy); unpublish leaves nothing', async () => {
    const pub = new PortPublisher(nat);
    const r = await pub.publish(ID, IP, {
      '80/tcp': [{ HostIp: '', HostPort: '' }],
      '80/udp': [{ HostIp: '', HostPort: '7301' }],
    });
    const port = Number(r.ports['80/tcp']?.[0].HostPort);
    assert.ok(port >= 1024, `random port ${port}`);
    assert.deepEqual(r.ports['80/udp'], [{ HostIp: '', HostPort: '7301' }]);
    assert.equal(ours(ID), 2);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', port), GW);
    assert.equal(await ask(undefined, 'tcp', '::1', port), GW);
    assert.equal(await ask(undefined, 'udp', '::1', 7301), GW);
    assert.equal(pub.proxied().length, 2);

    await pub.unpublish(ID);
    assert.equal(ours(ID), 0);
    assert.equal(pub.proxied().length, 0);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', port, 1500), 'ERR ECONNREFUSED');
    assert.equal(await ask(undefined, 'tcp', '::1', port, 1500), 'ERR ECONNREFUSED');
    await pub.publish(ID2, IP, { '80/udp': [{ HostIp: '', HostPort: '7301' }] });
    await pub.unpublish(ID2);
  });

  it('a taken port is refused naming its holder, before any rule or proxy exists', async () => {
    const pub = new PortPublisher(nat);
    await assert.rejects(
      pub.publish(ID, IP, {
        '80/tcp': [{ HostIp: '', HostPort: '7303' }],
        '81/tcp': [{ HostIp: '', HostPort: '7302' }],
      }),
      (err: unknown) =>
        err instanceof PortError &&
        err.message === `port 7302/tcp on 0.0.0.0 is already in use by node (pid ${holder.pid})`,
    );
    assert.equal(ours(ID), 0);
    assert.equal(pub.proxied().length, 0);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7303, 1500), 'ERR ECONNREFUSED');
  });

  it('without nftables every client goes through the proxy', async () => {
    const pub = new PortPublisher(undefined);
    await pub.publish(ID, IP, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '7304' }] });
    assert.equal(ours(ID), 0);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7304), GW);
    await pub.close();
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7304, 1500), 'ERR ECONNREFUSED');
  });

  it('after a restart the records make every port answer again, and hold it', async () => {
    const before = new PortPublisher(nat);
    const r = await before.publish(ID, IP, { '80/tcp': [{ HostIp: '', HostPort: '7305' }] });
    await before.close(); // the daemon is gone: its proxies with it, the table left as it was
    const records = [{ containerId: ID, containerIp: IP, bindings: r.nat }];
    nat.reset({ networks: [NET], published: records });
    const afterRestart = new PortPublisher(nat);
    await afterRestart.restore(records);
    assert.equal(await ask(undefined, 'tcp', '127.0.0.1', 7305), GW);
    assert.equal(await ask(undefined, 'tcp', '::1', 7305), GW);
    await assert.rejects(
      afterRestart.publish(ID2, IP, { '80/tcp': [{ HostIp: '', HostPort: '7305' }] }),
      /already allocated/,
    );
    await afterRestart.unpublish(ID);
    await afterRestart.close();
  });
});
