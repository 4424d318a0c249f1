/**
 * TCP throughput for the network bench: a sink in a container's network namespace counts what
 * it gets and answers the count; a client process (in this namespace or another one) sends a
 * fixed payload and reports MB/s from its connect to the sink's answer. Each transfer is a new
 * client process, so the bench's own event loop never sits in a measured path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { median } from './lib';

export const MB = 1 << 20;

const SINK = `
require('node:net').createServer((s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length)).on('end', () => s.end(String(n))).on('error', () => {});
}).listen(Number(process.argv[1]), '0.0.0.0', () => console.log('ready'));
`;

const CLIENT = `
const [host, port, size] = process.argv.slice(1).map((v, i) => (i ? Number(v) : v));
const chunk = Buffer.alloc(1 << 20, 7);
const fail = (why) => { console.log('ERR ' + why); process.exit(0); };
setTimeout(() => fail('timeout'), 120000).unref();
const t0 = process.hrtime.bigint();
const s = require('node:net').connect(port, host);
let sent = 0, reply = '';
const pump = () => {
  while (sent < size) {
    sent += chunk.length;
    if (!s.write(chunk)) return void s.once('drain', pump);
  }
  s.end();
};
s.once('connect', pump).on('data', (d) => (reply += d)).once('error', (e) => fail(e.code || e.message));
s.once('close', () => {
  if (Number(reply) !== size) fail('the sink got ' + reply + ' of ' + size + ' bytes');
  console.log(String(size / (1 << 20) / (Number(process.hrtime.bigint() - t0) / 1e9)));
});
`;

/** `cmd args` run in the network namespace at `netns` (a /proc/<pid>/ns/net path), or here. */
function spawnIn(netns: string | undefined, cmd: string, args: string[]): ChildProcess {
  const [c, a] = netns ? ['nsenter', [`--net=${netns}`, cmd, ...args]] : [cmd, args];
  return spawn(c, a, { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The sink on `port` in the namespace at `netns`; resolves once it listens. */
export function startSink(netns: string, port: number): Promise<ChildProcess> {
  const p = spawnIn(netns, process.execPath, ['-e', SINK, String(port)]);
  return new Promise((resolve, reject) => {
    p.stdout?.once('data', () => resolve(p));
    p.once('exit', (code) => reject(new Error(`the sink exited ${code}`)));
  });
}

export interface TcpPath {
  name: string;
  host: string;
  port: number;
  /** The client's network namespace; this one when absent. */
  from?: string;
  /** The index of the path this one is compared with (a direct one). */
  vs?: number;
  /** Through the engine's DNAT rules (for the goal line). */
  dnat?: boolean;
}

/** One transfer of `bytes` over `p`: MB/s. */
export async function transfer(p: TcpPath, bytes: number): Promise<number> {
  const c = spawnIn(p.from, process.execPath, ['-e', CLIENT, p.host, String(p.port), String(bytes)]);
  let out = '';
  c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => c.once('close', r));
  const v = Number(out.trim());
  if (!out.trim() || Number.isNaN(v)) throw new Error(`${p.name} (${p.host}:${p.port}): ${out.trim()}`);
  return v;
}

/** MB/s of every path, `runs` transfers each after a warm-up, in turns. */
export async function measure(paths: readonly TcpPath[], bytes: number, runs: number): Promise<number[][]> {
  for (const p of paths) await transfer(p, bytes);
  const figures = paths.map((): number[] => []);
  for (let i = 0; i < runs; i++)
    for (const [j, p] of paths.entries()) figures[j].push(await transfer(p, bytes));
  return figures;
}

/** One line a path: median, range, and its share of the median of the path it is compared with; the shares. */
export function reportThroughput(paths: readonly TcpPath[], figures: number[][]): number[] {
  return paths.map((p, j) => {
    const xs = figures[j];
    const m = median(xs);
    const share = p.vs === undefined ? 1 : m / median(figures[p.vs]);
    const rel = p.vs === undefined ? '' : `  (${(share * 100).toFixed(0)}% of ${paths[p.vs].name})`;
    console.log(
      `${p.name.padEnd(52)} median ${m.toFixed(0).padStart(6)} MB/s  [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}] n=${xs.length}${rel}`,
    );
    return share;
  });
}
