/**
 * The network part of the leak sweep can fail: an nftables rule no record owns, the table of a
 * stopped engine, and a socket the engine's process listens on that no published port explains
 * are each reported (the links' case is in bridge.netns.test.ts).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { Nat, natTableName } from '../../../src/engine/networks/nat';
import { useTestEngine } from '../../helpers/engine-suite';
import { findLeaks } from '../../helpers/leaks';

describe('network leak sweep', () => {
  const suite = useTestEngine();
  const up = { up: true, pid: process.pid };

  test('a stray nft rule, the table of a stopped engine, and a stray listener are leaks', async () => {
    const root = suite.t.root;
    await suite.t.engine.createNetwork({ Name: 'swept', IPAM: { Config: [{ Subnet: '10.86.0.0/24' }] } });
    assert.deepEqual(findLeaks(root, [], undefined, up), [], 'a network with its rules is no leak');
    const nat = new Nat(root);
    const stray = 'a'.repeat(64);
    nat.publish(stray, '10.86.0.9', [{ proto: 'tcp', hostPort: 40999, containerPort: 80 }]);
    try {
      assert.deepEqual(findLeaks(root, [], undefined, up), [`nftables: nftables rules of ctr:${stray}`]);
    } finally {
      nat.unpublish(stray);
    }
    assert.deepEqual(findLeaks(root, [], undefined, { up: false }), [
      `nftables: nftables table inet ${natTableName(root)} (the engine is stopped)`,
    ]);

    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '0.0.0.0', port: 0 }, resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      assert.deepEqual(findLeaks(root, [], undefined, up), [`listeners of the engine: tcp 0.0.0.0:${port}`]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await suite.t.engine.removeNetwork('swept');
  });
});
