/**
 * TCP throughput through a published port: the DNAT path (the engine's nftables table) and the
 * userland proxy path (in a process of its own, as the daemon would run it), beside a direct
 * connection to the "container" address, in one run. Everything happens in a network namespace
 * made for the bench (`unshare --net`), so the machine's network is never touched.
 *
 * The "container" is a plain listener in a namespace on a hand-made bridge until the runtime
 * attaches real containers to bridge networks (issue 12, bridge part); container start time on a
 * user network is reported as skipped for the same reason.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { Nat } from '../src/engine/networks/nat';
import { Netns, bridge, wire } from '../test/helpers/netns';
import { median } from './lib';

const MB = 1 << 20;
const SIZE = 64 * MB;

const SINK = `
require('node:net').createServer((s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length)).on('end', () => s.end(String(n))).on('error', () => {});
}).listen(5001, '0.0.0.0', () => console.log('ready'));
`;

function ready(p: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    p.stdout?.once('data', () => resolve());
    p.once('exit', (code) => reject(new Error(`${what} exited ${code}`)));
  });
}

/** Sends SIZE bytes and waits for the sink's count: MB/s. */
function transfer(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(MB, 7);
    const t0 = process.hrtime.bigint();
    const s = net.connect(port, host);
    let sent = 0;
    let reply = '';
    const pump = (): void => {
      while (sent < SIZE) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    };
    s.once('connect', pump);
    s.on('data', (d) => (reply += d.toString()));
    s.once('error', reject);
    s.once('close', () => {
      if (Number(reply) !== SIZE) return reject(new Error(`sink got ${reply} of ${SIZE} bytes`));
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve(SIZE / MB / secs);
    });
  });
}

async function inner(runs: number): Promise<void> {
  const ctrIp = '172.29.0.2';
  bridge('tscbench0', '172.29.0.1/24');
  const ctr = await Netns.make();
  const procs: ChildProcess[] = [];
  const nat = new Nat('/tmp/tscompose-bench-network');
  try {
    wire(ctr, { hostName: 'tvbench0', bridge: 'tscbench0', cidr: `${ctrIp}/24`, gw: '172.29.0.1' });
    const sink = ctr.spawn(process.execPath, ['-e', SINK]);
    procs.push(sink);
    await ready(sink, 'sink');
    nat.reset({
      networks: [{ bridge: 'tscbench0', subnet: '172.29.0.0/24', internal: false }],
      published: [
        {
          containerId: 'e'.repeat(64),
          containerIp: ctrIp,
          bindings: [{ proto: 'tcp', hostPort: 8080, containerPort: 5001 }],
        },
      ],
    });
    const proxyModule = path.resolve(__dirname, '..', 'src', 'engine', 'networks', 'proxy.js');
    const proxyScript = `require(${JSON.stringify(proxyModule)}).startProxy({ proto: 'tcp', hostIp: '127.0.0.1', hostPort: 8081, containerIp: '${ctrIp}', containerPort: 5001 }).then(() => console.log('ready'));`;
    const proxy = spawn(process.execPath, ['-e', proxyScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    procs.push(proxy);
    await ready(proxy, 'proxy');

    const paths: [string, string, number][] = [
      ['direct to the container address', ctrIp, 5001],
      ['published port, DNAT (127.0.0.1)', '127.0.0.1', 8080],
      ['published port, DNAT (bridge address)', '172.29.0.1', 8080],
      ['published port, userland proxy', '127.0.0.1', 8081],
    ];
    const figures = new Map<string, number[]>(paths.map(([name]) => [name, []]));
    for (const [, host, port] of paths) await transfer(host, port); // warm-up
    // Interleaved, so a busy moment of the machine costs every path alike.
    for (let i = 0; i < runs; i++)
      for (const [name, host, port] of paths) figures.get(name)?.push(await transfer(host, port));
    const direct = median(figures.get(paths[0][0]) ?? []);
    for (const [name] of paths) {
      const xs = figures.get(name) ?? [];
      const m = median(xs);
      const rel = name === paths[0][0] ? '' : `  (${((m / direct) * 100).toFixed(0)}% of direct)`;
      console.log(
        `${name.padEnd(48)} median ${m.toFixed(0).padStart(6)} MB/s  [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}] n=${xs.length}${rel}`,
      );
    }
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    ctr.stop();
    nat.close();
  }
}

export function benchNetwork(runs: number): void {
  const n = Math.max(3, Math.min(runs, 10));
  console.log(
    `\n## Network: TCP throughput through a published port (${SIZE / MB} MB a transfer, ${n} runs; goal: DNAT within 10% of direct)`,
  );
  console.log(
    '(the "container" is a plain listener in a namespace on a bridge: bridge networks are not yet wired into the runtime)',
  );
  console.log(
    'container start on a user network: skipped — bridge networks are not yet wired into the runtime',
  );
  if (process.getuid?.() !== 0) return void console.log('skipped: needs root (network namespaces, nftables)');
  const script = 'ip link set lo up && exec "$0" "$1" --inner "$2"';
  const r = spawnSync(
    'unshare',
    ['--net', '--', 'sh', '-c', script, process.execPath, __filename, String(n)],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) console.log(`network bench failed (exit ${r.status})`);
}

if (require.main === module && process.argv[2] === '--inner')
  inner(Number(process.argv[3])).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
