/**
 * The engine wires its NAT to its networks: a bridge network has its masquerade (an internal one
 * its wall) from create to remove, a container's host veth is in hairpin mode, a previous
 * daemon's table is flushed at start, and a clean stop removes the table.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { linksNamed } from '../../../src/engine/networks/bridge';
import { Nat } from '../../../src/engine/networks/nat';
import { vethPrefix } from '../../../src/engine/networks/names';
import { startTestEngine } from '../../helpers/engine';

const owners = (nat: Nat): string[] =>
  nat
    .rules()
    .map((r) => r.comment ?? '')
    .filter((c) => c !== '')
    .sort();

describe('nat wiring', () => {
  test('masquerade and wall per network, hairpin veths, the table reset at start and gone at stop', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-engine-'));
    const nat = new Nat(root);
    // What a crash would leave: the table with a rule of a network that is no more.
    nat.reset({
      networks: [{ bridge: 'tscstale-1', subnet: '10.83.0.0/24', internal: true }],
      published: [],
    });
    const t = await startTestEngine({ root });
    let closed = false;
    try {
      const e = t.engine;
      assert.deepEqual(owners(nat), [], 'the next daemon flushes it at start');
      await e.createNetwork({ Name: 'out', IPAM: { Config: [{ Subnet: '10.81.0.0/24' }] } });
      await e.createNetwork({
        Name: 'walled',
        Internal: true,
        IPAM: { Config: [{ Subnet: '10.82.0.0/24' }] },
      });
      const rules = nat.rules();
      const masq = rules.filter((r) => r.chain === 'postrouting' && r.comment?.startsWith('net:'));
      const walls = rules.filter((r) => r.chain === 'forward' && r.comment?.startsWith('net:'));
      assert.equal(new Set(masq.map((r) => r.comment)).size, 1, 'one network masqueraded');
      assert.equal(new Set(walls.map((r) => r.comment)).size, 2, 'each network isolated');

      const { Id } = await e.createContainer({
        Image: 'busybox',
        Cmd: ['sleep', '120'],
        HostConfig: { NetworkMode: 'out' },
      });
      await e.startContainer(Id);
      const [veth] = linksNamed(vethPrefix(t.root));
      assert.ok(veth, 'the container has a host veth');
      const port = spawnSync('bridge', ['-d', 'link', 'show', 'dev', veth], { encoding: 'utf8' }).stdout;
      assert.match(port, /hairpin on/, port);
      await e.removeContainer(Id, { force: true });

      await e.removeNetwork('out');
      await e.removeNetwork('walled');
      assert.deepEqual(owners(nat), [], 'a removed network leaves no rule');

      closed = true;
      await t.close();
      assert.throws(() => nat.rules(), /is missing/, 'a clean stop removes the table');
    } finally {
      if (!closed) await t.close();
    }
  });
});
