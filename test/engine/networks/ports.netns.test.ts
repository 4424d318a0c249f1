/**
 * The host-port allocator against real sockets (in the test's own network namespace): a port a
 * process holds is refused naming that process, engine containers never share a port, random
 * ports come from the ephemeral range, and a refused request takes nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { PortAllocator, PortError } from '../../../src/engine/networks/ports';

const HOLDER = `
const [proto, host, port] = process.argv.slice(1);
const ready = () => console.log('ready');
if (proto === 'tcp') require('node:net').createServer().listen(Number(port), host, ready);
else require('node:dgram').createSocket('udp4').bind(Number(port), host, ready);
`;

async function holder(proto: string, host: string, port: number): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['-e', HOLDER, proto, host, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    p.stdout?.once('data', () => resolve());
    p.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return p;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof PortError, String(err));
    return err.message;
  }
  assert.fail('accepted');
}

const A = '1'.repeat(64);
const B = '2'.repeat(64);

describe('PortAllocator', { timeout: 120_000 }, () => {
  const held: ChildProcess[] = [];
  before(async () => {
    held.push(
      await holder('tcp', '0.0.0.0', 7070),
      await holder('udp', '0.0.0.0', 7070),
      await holder('tcp', '127.0.0.1', 7071),
      await holder('tcp', '0.0.0.0', 7080),
    );
  });
  after(() => held.forEach((p) => p.kill('SIGKILL')));

  it('a port a process listens on is refused, naming the port and the process', async () => {
    const ports = new PortAllocator();
    assert.equal(
      await refusal(ports.allocate(A, { '80/tcp': [{ HostIp: '', HostPort: '7070' }] })),
      `port 7070/tcp on 0.0.0.0 is already in use by node (pid ${held[0].pid})`,
    );
    assert.equal(
      await refusal(ports.allocate(A, { '53/udp': [{ HostIp: '0.0.0.0', HostPort: '7070' }] })),
      `port 7070/udp on 0.0.0.0 is already in use by node (pid ${held[1].pid})`,
    );
    // Every address overlaps a listener on one of them.
    assert.match(
      await refusal(ports.allocate(A, { '80/tcp': [{ HostIp: '', HostPort: '7071' }] })),
      /7071\/tcp .* by node/,
    );
  });

  it('a host address the host does not have is refused as such', async () => {
    const ports = new PortAllocator();
    for (const HostPort of ['8080', '', '8080-8090'])
      assert.equal(
        await refusal(ports.allocate(A, { '80/tcp': [{ HostIp: '192.0.2.7', HostPort }] })),
        'cannot publish on 192.0.2.7: it is not an address of this host',
      );
  });

  it('the same port on another host address or protocol is free', async () => {
    const ports = new PortAllocator();
    const r = await ports.allocate(A, { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '7071' }] });
    assert.deepEqual(r.nat, [{ proto: 'udp', hostIp: '127.0.0.1', hostPort: 7071, containerPort: 80 }]);
    assert.deepEqual(r.ports, { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '7071' }] });
  });

  it('containers of the engine never share a host port; released, it is free again', async () => {
    const ports = new PortAllocator();
    await ports.allocate(A, { '80/tcp': [{ HostIp: '', HostPort: '7072' }] });
    assert.match(
      await refusal(ports.allocate(B, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '7072' }] })),
      /Bind for 127.0.0.1:7072 failed: port is already allocated \(by container 111111111111\)/,
    );
    ports.release(A);
    await ports.allocate(B, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '7072' }] });
  });

  it('a refused request takes nothing, not even the ports it checked first', async () => {
    const ports = new PortAllocator();
    await refusal(
      ports.allocate(A, {
        '80/tcp': [{ HostIp: '', HostPort: '7073' }],
        '81/tcp': [{ HostIp: '', HostPort: '7070' }],
      }),
    );
    await ports.allocate(B, { '80/tcp': [{ HostIp: '', HostPort: '7073' }] });
  });

  it('random host ports come from the ephemeral range and differ; a host range takes its first free port', async () => {
    const ports = new PortAllocator({ range: { start: 40000, end: 40002 } });
    const r = await ports.allocate(A, {
      '80/tcp': [{ HostIp: '', HostPort: '' }],
      '81/tcp': [{ HostIp: '', HostPort: '0' }],
      '82/tcp': [{ HostIp: '', HostPort: '7080-7082' }],
    });
    const random = [r.nat[0].hostPort, r.nat[1].hostPort];
    assert.ok(random.every((p) => p >= 40000 && p <= 40002) && random[0] !== random[1], String(random));
    assert.equal(r.ports['82/tcp']?.[0].HostPort, '7081');
    await ports.allocate(B, { '80/tcp': [{ HostIp: '', HostPort: '' }] });
    assert.match(
      await refusal(ports.allocate(B, { '81/tcp': [{ HostIp: '', HostPort: '' }] })),
      /no free host port/,
    );
  });

  it('restore re-takes a recorded container ports', async () => {
    const ports = new PortAllocator();
    ports.restore(A, [{ proto: 'tcp', hostPort: 7074, containerPort: 80 }]);
    assert.match(
      await refusal(ports.allocate(B, { '80/tcp': [{ HostIp: '', HostPort: '7074' }] })),
      /already allocated/,
    );
  });
});
