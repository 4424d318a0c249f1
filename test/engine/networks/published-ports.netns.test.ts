/**
 * Published ports end to end: a container's PortBindings (a random host port) and -P over its
 * exposed ports are published when it starts, answer on 127.0.0.1, show in inspect's
 * NetworkSettings.Ports, and leave no rule once it stops.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Nat } from '../../../src/engine/networks/nat';
import { useTestEngine } from '../../helpers/engine-suite';
import { readFrom } from '../../helpers/tcp-answer';

async function answer(port: number): Promise<string> {
  // The server in the container may not listen yet right after start.
  for (let i = 0; ; i++) {
    try {
      const out = await readFrom(port, 10_000);
      if (out || i >= 50) return out;
    } catch (err) {
      if (i >= 50) throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('published ports', () => {
  const suite = useTestEngine();
  const e = () => suite.t.engine;

  test('-p and -P answer on 127.0.0.1 while the container runs, and are in inspect', async () => {
    await e().createNetwork({ Name: 'pub', IPAM: { Config: [{ Subnet: '10.84.0.0/24' }] } });
    const serve =
      'while true; do echo hello | nc -l -p 80; done & while true; do echo world | nc -l -p 81; done';
    const { Id } = await e().createContainer({
      Image: 'busybox',
      Cmd: ['sh', '-c', serve],
      ExposedPorts: { '81/tcp': {} },
      HostConfig: {
        NetworkMode: 'pub',
        PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        PublishAllPorts: true,
      },
    });
    await e().startContainer(Id);
    const ports = (await e().inspectContainer(Id)).NetworkSettings!.Ports;
    assert.deepEqual(Object.keys(ports).sort(), ['80/tcp', '81/tcp']);
    const [p80, p81] = [ports['80/tcp']![0], ports['81/tcp']![0]];
    assert.equal(p80.HostIp, '127.0.0.1');
    assert.match(p80.HostPort, /^\d+$/);
    assert.match(p81.HostPort, /^\d+$/);
    assert.equal((await answer(Number(p80.HostPort))).trim(), 'hello');
    assert.equal((await answer(Number(p81.HostPort))).trim(), 'world');

    // A second container asking for a host port in use: its start fails in one line, it is not
    // left running, and the first one still answers.
    const { Id: other } = await e().createContainer({
      Image: 'busybox',
      Cmd: ['sleep', '120'],
      HostConfig: {
        NetworkMode: 'pub',
        PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: p80.HostPort }] },
      },
    });
    await assert.rejects(e().startContainer(other), (err: Error) => {
      assert.match(err.message, new RegExp(`${p80.HostPort}`));
      assert.ok(!err.message.includes('\n'), err.message);
      return true;
    });
    assert.equal((await e().inspectContainer(other)).State.Running, false);
    assert.equal((await answer(Number(p80.HostPort))).trim(), 'hello');
    await e().removeContainer(other, { force: true });

    const nat = new Nat(suite.t.root);
    assert.ok(nat.rules().some((r) => r.comment === `ctr:${Id}`));
    await e().stopContainer(Id, { timeout: 1 });
    assert.ok(!nat.rules().some((r) => r.comment === `ctr:${Id}`), 'a stopped container publishes nothing');
    assert.deepEqual((await e().inspectContainer(Id)).NetworkSettings!.Ports, {});
    await e().removeContainer(Id, { force: true });
    await e().removeNetwork('pub');
  });
});
