/**
 * Hand-made network plumbing for *.netns.test files (which already run in a namespace of their
 * own, scripts/test.js): extra namespaces held by a `sleep` made with `unshare --net`, bridges and
 * veths made with `ip` (fine in tests, never at run time), and echo servers / clients run inside a
 * namespace through `nsenter`. Every namespace dies with its sleep; `stop()` ends them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';

export function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** What `ip` prints. */
export function ipText(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Netns {
  readonly proc: ChildProcess;
  readonly pid: number;

  private constructor(proc: ChildProcess) {
    this.proc = proc;
    this.pid = proc.pid as number;
  }

  /** A new network namespace with loopback up. */
  static async make(): Promise<Netns> {
    const proc = spawn('unshare', ['--net', 'sleep', 'infinity'], { stdio: 'ignore' });
    const ns = new Netns(proc);
    const mine = fs.readlinkSync('/proc/self/ns/net');
    const deadline = Date.now() + 20_000;
    // unshare execs sleep in the same pid once the namespace is made.
    while (fs.readlinkSync(`/proc/${ns.pid}/ns/net`) === mine) {
      if (Date.now() > deadline) throw new Error('unshare --net did not make a namespace');
      await new Promise((r) => setTimeout(r, 10));
    }
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  get path(): string {
    return `/proc/${this.pid}/ns/net`;
  }

  ip(...args: string[]): void {
    execFileSync('nsenter', [`--net=${this.path}`, 'ip', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** A process inside this namespace. */
  spawn(cmd: string, args: string[]): ChildProcess {
    return spawn('nsenter', [`--net=${this.path}`, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  stop(): void {
    this.proc.kill('SIGKILL');
  }
}

/** A veth from this namespace (`hostName`, `hostCidr`) to `ns` (`eth0`, `cidr`, default via `gw`). */
export function wire(
  ns: Netns,
  o: { hostName: string; hostCidr?: string; bridge?: string; cidr: string; gw: string },
): void {
  ip('link', 'add', o.hostName, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(ns.pid));
  if (o.bridge) ip('link', 'set', o.hostName, 'master', o.bridge);
  if (o.hostCidr) ip('addr', 'add', o.hostCidr, 'dev', o.hostName);
  ip('link', 'set', o.hostName, 'up');
  ns.ip('addr', 'add', o.cidr, 'dev', 'eth0');
  ns.ip('link', 'set', 'eth0', 'up');
  ns.ip('route', 'add', 'default', 'via', o.gw);
}

export function bridge(name: string, cidr: string): void {
  ip('link', 'add', name, 'type', 'bridge');
  ip('addr', 'add', cidr, 'dev', name);
  ip('link', 'set', name, 'up');
}

/**
 * Echo servers: each TCP connection and UDP datagram is answered with the client's address; on
 * port + 1 a TCP server answers the same but keeps the connection open, echoing what it gets.
 */
const SERVER = `
const net = require('node:net'), dgram = require('node:dgram');
const port = Number(process.argv[1]);
let up = 0;
const ready = () => { if (++up === 3) console.log('ready'); };
net.createServer((s) => { s.on('error', () => {}); s.end(s.remoteAddress + '\\n'); }).listen(port, '0.0.0.0', ready);
net.createServer((s) => { s.on('error', () => {}); s.write(s.remoteAddress + '\\n'); s.pipe(s); }).listen(port + 1, '0.0.0.0', ready);
const u = dgram.createSocket('udp4');
u.on('message', (m, r) => u.send(r.address, r.port, r.address));
u.bind(port, '0.0.0.0', ready);
`;

/** Starts the echo servers on `port` inside `ns`; resolves once they listen. */
export async function echoServer(ns: Netns, port: number): Promise<ChildProcess> {
  const p = ns.spawn(process.execPath, ['-e', SERVER, String(port)]);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    p.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    p.once('exit', (code) => reject(new Error(`echo server exited ${code}`)));
  });
  return p;
}

const CLIENT = `
const [proto, host, port, ms] = process.argv.slice(1);
const fail = (e) => { console.log('ERR ' + (e.code || e.message)); process.exit(0); };
setTimeout(() => fail(new Error('timeout')), Number(ms));
if (proto === 'tcp') {
  const s = require('node:net').connect(Number(port), host);
  let out = '';
  s.on('data', (d) => (out += d)).on('end', () => { console.log(out.trim()); process.exit(0); }).on('error', fail);
} else {
  const u = require('node:dgram').createSocket(host.includes(':') ? 'udp6' : 'udp4');
  u.on('message', (m) => { console.log(m.toString()); process.exit(0); }).on('error', fail);
  u.send('x', Number(port), host);
}
`;

/**
 * What the echo server at host:port says the client's address is, asked from `ns` (or from here),
 * or `ERR <code>` (e.g. `ERR timeout`, `ERR ECONNREFUSED`).
 */
export async function ask(
  ns: Netns | undefined,
  proto: 'tcp' | 'udp',
  host: string,
  port: number,
  timeoutMs = 3000,
): Promise<string> {
  if (!ns) return askHere(proto, host, port, timeoutMs);
  const p = ns.spawn(process.execPath, ['-e', CLIENT, proto, host, String(port), String(timeoutMs)]);
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => p.once('exit', r));
  return out.trim();
}

function askHere(proto: 'tcp' | 'udp', host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('ERR timeout'), timeoutMs);
    let finish = (): void => {};
    const done = (v: string): void => {
      clearTimeout(timer);
      finish();
      resolve(v);
    };
    if (proto === 'tcp') {
      const s = net.connect(port, host);
      finish = () => s.destroy();
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => done(out.trim()));
      s.on('error', (e: NodeJS.ErrnoException) => done(`ERR ${e.code ?? e.message}`));
    } else {
      const u = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      finish = () => u.close();
      u.on('message', (m) => done(m.toString()));
      u.on('error', (e: NodeJS.ErrnoException) => done(`ERR ${e.code ?? e.message}`));
      u.send('x', port, host);
    }
  });
}
