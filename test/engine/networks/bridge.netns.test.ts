/**
 * Bridge networks end to end with real containers, in the network namespace the test runner
 * makes for this file: reachability on one network and not across two, connect and disconnect
 * of a running container, refusals, NetworkSettings, and nothing left once all is removed (the
 * suite's leak sweep counts the engine's bridges and veths).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { ForbiddenError } from '../../../src/common/errors';
import { statusOf } from '../../../src/engine/server/status';
import { useTestEngine } from '../../helpers/engine-suite';
import { collect } from '../../helpers/engine';
import { findLeaks } from '../../helpers/leaks';
import { bridgePrefix, vethPrefix } from '../../../src/engine/networks/names';
import { linksNamed } from '../../../src/engine/networks/bridge';

describe('bridge networks', () => {
  const suite = useTestEngine();
  const e = () => suite.t.engine;

  async function exec(id: string, cmd: string[]): Promise<{ code: number; out: string }> {
    const x = await e().createExec(id, { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const { stdout, stderr } = await collect(e().startExec(x.Id));
    return { code: (await e().inspectExec(x.Id)).ExitCode ?? -1, out: stdout + stderr };
  }
  const ping = (id: string, ip: string) => exec(id, ['ping', '-c', '1', '-W', '3', ip]);
  async function ipOn(id: string, network: string): Promise<string> {
    return (await e().inspectContainer(id)).NetworkSettings?.Networks[network]?.IPAddress ?? '';
  }

  test("the leak sweep sees a link of the engine's that nothing accounts for", () => {
    const name = `${vethPrefix(suite.t.root)}eeeee`;
    assert.equal(
      spawnSync('ip', ['link', 'add', name, 'type', 'veth', 'peer', 'name', 'leakpeer0']).status,
      0,
    );
    try {
      assert.deepEqual(findLeaks(suite.t.root, []), [`network links: ${name}`]);
    } finally {
      spawnSync('ip', ['link', 'del', name]);
    }
  });

  test("bad create requests are refused in docker's words before anything is made", async () => {
    const refusals: [object, RegExp, number][] = [
      [{ Name: '../etc' }, /invalid network name "..\/etc"/, 400],
      [{ Name: 'a'.repeat(129) }, /invalid network name/, 400],
      [{ Name: 'host' }, /network with name host already exists/, 409],
      [{ Name: 'x', Driver: 'overlay' }, /plugin "overlay" not found/, 404],
      [{ Name: 'x', EnableIPv6: true }, /IPv6 networks are not supported/, 400],
      [{ Name: 'x', IPAM: { Config: [{ Subnet: '10.1.0.0' }] } }, /invalid CIDR address: 10.1.0.0/, 400],
      [{ Name: 'x', IPAM: { Config: [{ Subnet: 'fd00::/64' }] } }, /IPv6 networks are not supported/, 400],
      [
        { Name: 'x', IPAM: { Config: [{ Subnet: '10.1.0.0/24', Gateway: '10.2.0.1' }] } },
        /no matching subnet for gateway 10.2.0.1/,
        400,
      ],
      [
        { Name: 'x', IPAM: { Config: [{ Subnet: '10.1.0.0/24', IPRange: '10.1.1.0/25' }] } },
        /no matching subnet for range/,
        400,
      ],
      [{ Name: 'x', Options: { 'com.docker.network.driver.mtu': 'big' } }, /invalid MTU "big"/, 400],
    ];
    for (const [body, message, status] of refusals)
      await assert.rejects(
        e().createNetwork(body as { Name: string }),
        (err: Error) => statusOf(err) === status && message.test(err.message) && !err.message.includes('\n'),
        JSON.stringify(body),
      );
    await e().createNetwork({ Name: 'taken', IPAM: { Config: [{ Subnet: '10.1.0.0/16' }] } });
    await assert.rejects(
      e().createNetwork({ Name: 'inside', IPAM: { Config: [{ Subnet: '10.1.2.0/24' }] } }),
      /Pool overlaps with other one on this address space/,
    );
    // Nothing of a refused create stays: no record, no bridge (taken's only).
    assert.deepEqual(
      (await e().listNetworks()).map((n) => n.Name),
      ['bridge', 'host', 'none', 'taken'],
    );
    assert.equal(
      linksNamed(bridgePrefix(suite.t.root)).length,
      1,
      'listing makes no link for the default bridge',
    );
    await e().removeNetwork('taken');
  });

  test('a network without a subnet gets one no host address or route uses', async () => {
    const ip = (...args: string[]) => assert.equal(spawnSync('ip', args).status, 0, args.join(' '));
    ip('link', 'add', 'hostbr0', 'type', 'bridge');
    try {
      ip('addr', 'add', '172.17.0.1/16', 'dev', 'hostbr0');
      ip('link', 'set', 'hostbr0', 'up');
      ip('route', 'add', '172.18.0.0/16', 'dev', 'hostbr0');
      await e().createNetwork({ Name: 'auto' });
      assert.deepEqual((await e().inspectNetwork('auto')).IPAM.Config, [
        { Subnet: '172.19.0.0/16', Gateway: '172.19.0.1' },
      ]);
      await e().removeNetwork('auto');
    } finally {
      ip('link', 'del', 'hostbr0');
    }
  });

  test('two containers on one network reach each other, one on another network does not; rm refused while in use', async () => {
    await e().createNetwork({ Name: 'front' });
    await e().createNetwork({ Name: 'back' });
    const a = await suite.started(['sleep', '120'], { HostConfig: { NetworkMode: 'front' } });
    const b = await suite.started(['sleep', '120'], { HostConfig: { NetworkMode: 'front' } });
    const c = await suite.started(['sleep', '120'], { HostConfig: { NetworkMode: 'back' } });
    const [ipA, ipB] = [await ipOn(a, 'front'), await ipOn(b, 'front')];
    const front = await e().inspectNetwork('front');
    const [subnet] = [front.IPAM.Config[0].Subnet!];
    assert.match(ipA, /^\d+\.\d+\.\d+\.\d+$/);
    assert.notEqual(ipA, ipB);
    assert.equal(subnet.split('.').slice(0, 2).join('.'), ipA.split('.').slice(0, 2).join('.'));
    assert.deepEqual(Object.keys(front.Containers).sort(), [a, b].sort());

    assert.equal((await ping(a, ipB)).code, 0, 'a reaches b');
    assert.equal((await ping(b, ipA)).code, 0, 'b reaches a');
    assert.notEqual((await ping(c, ipB)).code, 0, 'c, on another network, does not');
    const route = await exec(a, ['ip', 'route']);
    assert.match(
      route.out,
      new RegExp(`default via ${front.IPAM.Config[0].Gateway!.replace(/\./g, '\\.')} dev eth0`),
    );

    await assert.rejects(
      e().removeNetwork('front'),
      (err: Error) =>
        err instanceof ForbiddenError &&
        /network front has active endpoints/.test(err.message) &&
        err.message.includes(a.slice(0, 12)),
    );
    for (const id of [a, b, c]) await e().removeContainer(id, { force: true });
    await e().removeNetwork('front');
    await e().removeNetwork('back');
    await assert.rejects(e().inspectNetwork('front'), /network front not found/);
  });

  test('connect and disconnect while running; several networks with aliases', async () => {
    await e().createNetwork({ Name: 'one', IPAM: { Config: [{ Subnet: '10.123.0.0/24' }] } });
    await e().createNetwork({ Name: 'two' });
    const server = await suite.started(['sleep', '120'], {
      HostConfig: { NetworkMode: 'one' },
      NetworkingConfig: {
        EndpointsConfig: {
          one: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.123.0.50' } },
          two: { Aliases: ['store'] },
        },
      },
    });
    const client = await suite.started(['sleep', '120'], { HostConfig: { NetworkMode: 'two' } });
    const s = await e().inspectContainer(server);
    assert.deepEqual(Object.keys(s.NetworkSettings!.Networks).sort(), ['one', 'two']);
    assert.equal(s.NetworkSettings!.Networks.one.IPAddress, '10.123.0.50');
    assert.deepEqual(s.NetworkSettings!.Networks.one.Aliases, ['db']);
    assert.equal(s.NetworkSettings!.Networks.one.MacAddress, '02:42:0a:7b:00:32');
    assert.equal(s.NetworkSettings!.IPAddress, '', 'top-level fields are the default bridge only');
    assert.match((await exec(server, ['ip', '-o', 'link'])).out, /eth1/);

    assert.notEqual((await ping(client, '10.123.0.50')).code, 0, 'not connected yet');
    await e().connectNetwork('one', { Container: client });
    assert.equal((await ping(client, '10.123.0.50')).code, 0, 'connected while running');
    await assert.rejects(e().connectNetwork('one', { Container: client }), /already exists in network one/);
    await e().disconnectNetwork('one', { Container: client });
    assert.notEqual((await ping(client, '10.123.0.50')).code, 0, 'disconnected while running');
    assert.equal(Object.keys((await e().inspectContainer(client)).NetworkSettings!.Networks).join(), 'two');
    await assert.rejects(
      e().disconnectNetwork('one', { Container: client }),
      /is not connected to the network one/,
    );

    // A static address in use, and the default bridge's refusals, as docker words them.
    await assert.rejects(
      e().createContainer({
        Image: 'busybox',
        HostConfig: { NetworkMode: 'one' },
        NetworkingConfig: { EndpointsConfig: { one: { IPAMConfig: { IPv4Address: '10.123.0.50' } } } },
      }),
      /Address already in use/,
    );
    await assert.rejects(
      e().createContainer({
        Image: 'busybox',
        HostConfig: { NetworkMode: 'bridge' },
        NetworkingConfig: { EndpointsConfig: { bridge: { Aliases: ['x'] } } },
      }),
      /network-scoped alias is supported only for containers in user defined networks/,
    );
    await assert.rejects(
      e().createContainer({ Image: 'busybox', HostConfig: { NetworkMode: 'nosuch' } }),
      /network nosuch not found/,
    );
    await assert.rejects(e().createNetwork({ Name: 'one' }), /network with name one already exists/);
    await assert.rejects(
      e().removeNetwork('bridge'),
      /bridge is a pre-defined network and cannot be removed/,
    );
    assert.equal((await e().listContainers({ all: true })).length, 2, 'a refused create leaves nothing');
    for (const id of [server, client]) await e().removeContainer(id, { force: true });
    // The address is free again once its holder is gone.
    const again = await e().createContainer({
      Image: 'busybox',
      HostConfig: { NetworkMode: 'one' },
      NetworkingConfig: { EndpointsConfig: { one: { IPAMConfig: { IPv4Address: '10.123.0.50' } } } },
    });
    await e().removeContainer(again.Id);
    assert.deepEqual((await e().pruneNetworks()).NetworksDeleted?.sort(), ['one', 'two']);
  });

  test('the default bridge, and container:<name> sharing a namespace', async () => {
    const a = await suite.started(['sleep', '120'], { HostConfig: { NetworkMode: 'bridge' } });
    const ip = (await e().inspectContainer(a)).NetworkSettings!.IPAddress;
    assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/, 'the default bridge fills the top-level fields');
    const b = await suite.started(['sleep', '120'], {
      HostConfig: { NetworkMode: 'bridge' },
      NetworkingConfig: { EndpointsConfig: { bridge: { MacAddress: '02:42:ac:11:ff:01' } } },
    });
    assert.equal((await ping(b, ip)).code, 0);
    assert.equal((await exec(b, ['cat', '/sys/class/net/eth0/address'])).out, '02:42:ac:11:ff:01\n');
    const joined = await suite.started(['sleep', '120'], { HostConfig: { NetworkMode: `container:${a}` } });
    assert.match(
      (await exec(joined, ['ip', '-o', '-4', 'addr'])).out,
      new RegExp(`inet ${ip.replace(/\./g, '\\.')}/`),
    );
    await assert.rejects(e().connectNetwork('bridge', { Container: joined }), /sharing network namespace/);
    for (const id of [joined, a, b]) await e().removeContainer(id, { force: true });
  });
});
