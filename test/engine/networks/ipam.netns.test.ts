/**
 * The network manager's addresses come from the one IPAM (ipam.ts): its gateway rule, its strict
 * address syntax, and serial hand-out kept in the network record, so an address freed by a
 * removed container is not given to the next one at once (docker's behaviour).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { statusOf } from '../../../src/engine/server/status';
import { useTestEngine } from '../../helpers/engine-suite';

describe('network addresses', () => {
  const suite = useTestEngine();
  const e = () => suite.t.engine;
  const body = (network: string, ip?: string) => ({
    HostConfig: { NetworkMode: network },
    ...(ip
      ? { NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: ip } } } } }
      : {}),
  });
  const create = (network: string, ip?: string) =>
    e().createContainer({ Image: 'busybox', ...body(network, ip) });
  const started = (network: string) => suite.started(['sleep', '120'], body(network));
  const ipOf = async (id: string, network: string): Promise<string> =>
    (await e().inspectContainer(id)).NetworkSettings?.Networks[network]?.IPAddress ?? '';

  test("a gateway on the subnet's own address is refused", async () => {
    await assert.rejects(
      e().createNetwork({ Name: 'gw', IPAM: { Config: [{ Subnet: '10.77.0.0/24', Gateway: '10.77.0.0' }] } }),
      (err: Error) => statusOf(err) === 400 && /no matching subnet for gateway 10.77.0.0/.test(err.message),
    );
    assert.deepEqual(
      (await e().listNetworks()).map((n) => n.Name),
      ['bridge', 'host', 'none'],
    );
  });

  test('addresses are handed out serially; an ambiguous static address is refused', async () => {
    await e().createNetwork({ Name: 'seq', IPAM: { Config: [{ Subnet: '10.78.0.0/24' }] } });
    const a = await started('seq');
    const b = await started('seq');
    assert.deepEqual([await ipOf(a, 'seq'), await ipOf(b, 'seq')], ['10.78.0.2', '10.78.0.3']);
    await e().removeContainer(a, { force: true });
    const c = await started('seq');
    assert.equal(await ipOf(c, 'seq'), '10.78.0.4', 'the freed .2 is not reused at once');
    await assert.rejects(create('seq', '10.78.0.050'), (err: Error) => statusOf(err) === 400);
    await assert.rejects(create('seq', '10.78.0.3'), /Address already in use/);
    for (const id of [b, c]) await e().removeContainer(id, { force: true });
    await e().removeNetwork('seq');
  });
});
