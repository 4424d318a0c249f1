/**
 * rtnetlink by hand, checked against what iproute2 sees, inside the network namespace the test
 * runner makes for this file (and a second one, a sleeping child's, for veth peers).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { addAddress, deleteAddress, listAddresses } from '../../../src/platform/linux/netlink/addresses';
import {
  createBridge,
  createVeth,
  deleteLink,
  findLink,
  linkIndex,
  listLinks,
  setLink,
} from '../../../src/platform/linux/netlink/links';
import { addRoute, listRoutes } from '../../../src/platform/linux/netlink/routes';
import { withNetlink } from '../../../src/platform/linux/netlink/socket';
import { SyscallError } from '../../../src/platform/linux/lib';

let other: ChildProcess;

function ipIn(pid: number | undefined, args: string[]): string {
  const cmd = pid ? ['nsenter', `--net=/proc/${pid}/ns/net`, 'ip', ...args] : ['ip', ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

before(async () => {
  other = spawn('unshare', ['--net', 'sleep', '120'], { stdio: 'ignore' });
  // unshare execs sleep: the pid is then in the new namespace.
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('readlink', [`/proc/${other.pid}/ns/net`, '/proc/self/ns/net'], { encoding: 'utf8' });
    const [a, b] = r.stdout.trim().split('\n');
    if (a && a !== b) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('the second namespace never came');
});

after(() => {
  other.kill('SIGKILL');
});

test('a bridge, a veth whose peer is born in another namespace, addresses and routes', () => {
  withNetlink((s) => {
    createBridge(s, 'tsctest-br', { mtu: 1400 });
    const br = linkIndex(s, 'tsctest-br');
    setLink(s, br, { up: true });
    addAddress(s, br, '10.77.0.1/24');
    createVeth(s, {
      name: 'tvtest0',
      master: br,
      mtu: 1400,
      peer: { name: 'eth0', ns: { pid: other.pid! }, mtu: 1400, mac: '02:42:0a:4d:00:02' },
    });
    const host = findLink(s, 'tvtest0');
    assert.ok(host);
    assert.equal(host.kind, 'veth');
    assert.equal(host.master, br);
    assert.equal(host.mtu, 1400);
    setLink(s, host.index, { up: true });
    assert.equal(findLink(s, 'eth0'), undefined, 'the peer never exists here');
    assert.equal(findLink(s, 'tsctest-br')?.kind, 'bridge');
    assert.ok(
      listAddresses(s).some((a) => a.address === '10.77.0.1' && a.prefixLen === 24 && a.index === br),
    );
    assert.ok(listRoutes(s).some((r) => r.destination === '10.77.0.0/24' && r.index === br));

    // The same again is the kernel's EEXIST, with its errno.
    assert.throws(
      () => createBridge(s, 'tsctest-br'),
      (e: unknown) => e instanceof SyscallError && e.code === 'EEXIST' && /tsctest-br/.test(e.message),
    );
    addRoute(s, { destination: '10.78.0.0/16', gateway: '10.77.0.2' });
    assert.ok(listRoutes(s).some((r) => r.destination === '10.78.0.0/16' && r.gateway === '10.77.0.2'));
    deleteAddress(s, br, '10.77.0.1/24');
    assert.ok(!listAddresses(s).some((a) => a.address === '10.77.0.1'));
  });
  const inside = ipIn(other.pid, ['-o', 'link', 'show', 'eth0']);
  assert.match(inside, /mtu 1400/);
  assert.match(inside, /02:42:0a:4d:00:02/);
  assert.match(ipIn(undefined, ['-o', 'link', 'show', 'tvtest0']), /master tsctest-br/);

  withNetlink((s) => {
    deleteLink(s, linkIndex(s, 'tvtest0'));
    deleteLink(s, linkIndex(s, 'tsctest-br'));
    assert.deepEqual(
      listLinks(s).filter((l) => l.name.startsWith('ts')),
      [],
    );
    assert.throws(
      () => deleteLink(s, 99999),
      (e: unknown) => e instanceof SyscallError && e.code === 'ENODEV',
    );
  });
  // Deleting one end took the peer with it.
  assert.doesNotMatch(ipIn(other.pid, ['-o', 'link']), /eth0/);
});

test("a veth's peer made in a namespace named by its descriptor", () => {
  const fd = fs.openSync(`/proc/${other.pid}/ns/net`, 'r');
  try {
    withNetlink((s) => createVeth(s, { name: 'tvtestfd', peer: { name: 'eth7', ns: { fd } } }));
  } finally {
    fs.closeSync(fd);
  }
  assert.match(ipIn(other.pid, ['-o', 'link', 'show', 'eth7']), /eth7@/);
  withNetlink((s) => deleteLink(s, linkIndex(s, 'tvtestfd')));
});
