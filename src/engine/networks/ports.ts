/**
 * Published ports: docker's `-p`/`--publish` grammar to the API's `PortBindings` and
 * `ExposedPorts`, `-P`, and back to inspect's `Ports` and `docker port` lines. Host ports are
 * checked (and random ones picked) by the `PortAllocator` before anything is created, so a taken
 * port is one clear error naming its holder.
 *
 * IPv4 only, as the rest of the engine's networking (ipam.ts): an IPv6 host address is refused.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import {
  keyOrder,
  parseRange,
  PortError,
  splitKey,
  type PortMap,
  type Proto,
  type Range,
} from '../../engine-api/container/ports';
import { parseIpv4 } from './ipam';
import type { NatBinding } from './nat';

export * from '../../engine-api/container/ports';

// ---- who holds a port (for the error) --------------------------------------------------------

function socketInodes(proto: Proto, port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = parseInt(f[1].split(':')[1] ?? '', 16);
      // A TCP listener is in state 0A (LISTEN); a bound UDP socket may be in any state.
      if (localPort === port && (proto === 'udp' || f[3] === '0A') && f[9] !== '0') inodes.add(f[9]);
    }
  }
  return inodes;
}

/** `name (pid N)` of a process holding a socket on `port`, from /proc; undefined when unknown. */
export function portHolder(proto: Proto, port: number): string | undefined {
  const inodes = socketInodes(proto, port);
  if (inodes.size === 0) return undefined;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        let name = '?';
        try {
          name = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        } catch {
          // exited meanwhile
        }
        return `${name} (pid ${pid})`;
      }
    }
  }
  return undefined;
}

/** Resolves to undefined when `host:port` could be bound now, else to the errno code. */
function tryBind(proto: Proto, host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (proto === 'tcp') {
      const s = net.createServer();
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'EADDRINUSE'));
      s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(undefined)));
    } else {
      const s = dgram.createSocket({ type: 'udp4' });
      s.once('error', (e: NodeJS.ErrnoException) => {
        s.close();
        resolve(e.code ?? 'EADDRINUSE');
      });
      s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolve(undefined)));
    }
  });
}

/** The kernel's ephemeral range, where random host ports come from (docker's way). */
function ephemeralRange(): Range {
  try {
    const [start, end] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (start > 0 && end >= start && end <= 65535) return { start, end };
  } catch {
    // fall through
  }
  return { start: 49153, end: 65535 };
}

export interface ResolvedPorts {
  /** Inspect's bindings with every host port a number. */
  ports: PortMap;
  /** What nat.ts programs. */
  nat: NatBinding[];
}

interface Held {
  owner: string;
  proto: Proto;
  hostIp: string;
  port: number;
}

/**
 * Host ports of the engine's containers. DNAT does not bind a socket, so another container's
 * port is found here, a host process's by trying to bind.
 */
export class PortAllocator {
  private readonly held: Held[] = [];
  private readonly range: Range;

  constructor(opts: { range?: Range } = {}) {
    this.range = opts.range ?? ephemeralRange();
  }

  private clash(proto: Proto, hostIp: string, port: number): Held | undefined {
    return this.held.find(
      (h) =>
        h.proto === proto && h.port === port && (h.hostIp === '' || hostIp === '' || h.hostIp === hostIp),
    );
  }

  /** Re-takes what a container already had (daemon start, from its record). */
  restore(owner: string, nat: readonly NatBinding[]): void {
    for (const b of nat) this.held.push({ owner, proto: b.proto, hostIp: b.hostIp ?? '', port: b.hostPort });
  }

  release(owner: string): void {
    for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i].owner === owner) this.held.splice(i, 1);
  }

  /** Every host port of `bindings` checked or picked, all or none taken for `owner`. */
  async allocate(owner: string, bindings: PortMap): Promise<ResolvedPorts> {
    const ports: PortMap = {};
    const nat: NatBinding[] = [];
    const added: Held[] = [];
    try {
      for (const key of Object.keys(bindings).sort(keyOrder)) {
        const { port: containerPort, proto } = splitKey(key);
        for (const b of bindings[key] ?? []) {
          const hostIp = b.HostIp === '0.0.0.0' ? '' : b.HostIp;
          if (hostIp !== '' && parseIpv4(hostIp) === undefined)
            throw new PortError(
              hostIp.includes(':')
                ? `IPv6 host addresses are not supported: ${hostIp}`
                : `Invalid ip address: ${hostIp}`,
            );
          const h = await this.pick(owner, proto, hostIp, b.HostPort);
          added.push(h);
          const hostPort = h.port;
          (ports[key] ??= [])?.push({ HostIp: b.HostIp, HostPort: String(hostPort) });
          nat.push({ proto, hostIp: hostIp || undefined, hostPort, containerPort });
        }
      }
    } catch (err) {
      for (const h of added) this.held.splice(this.held.indexOf(h), 1);
      throw err;
    }
    return { ports, nat };
  }

  /**
   * Holds `port` for `owner` before trying to bind it, so a concurrent request sees it taken
   * while the bind is awaited; undefined (and no hold) when it is not free.
   */
  private async claim(owner: string, proto: Proto, hostIp: string, port: number): Promise<Held | undefined> {
    if (this.clash(proto, hostIp, port)) return undefined;
    const h = { owner, proto, hostIp, port };
    this.held.push(h);
    if ((await tryBind(proto, hostIp || '0.0.0.0', port)) === undefined) return h;
    this.held.splice(this.held.indexOf(h), 1);
    return undefined;
  }

  private async pick(owner: string, proto: Proto, hostIp: string, text: string): Promise<Held> {
    const bindHost = hostIp || '0.0.0.0';
    if (hostIp !== '') {
      // An address the host does not have fails every bind alike: say so once, not "no free port".
      const code = await tryBind(proto, hostIp, 0);
      if (code !== undefined) throw this.inUse(proto, hostIp, 0, code);
    }
    if (text !== '' && text !== '0') {
      const r = parseRange(text, 'hostPort');
      if (r.start === r.end) {
        const mine = this.clash(proto, hostIp, r.start);
        if (mine)
          throw new PortError(
            `Bind for ${bindHost}:${r.start} failed: port is already allocated${mine.owner === owner ? '' : ` (by container ${mine.owner.slice(0, 12)})`}`,
            'PORT_IN_USE',
          );
        const h = { owner, proto, hostIp, port: r.start };
        this.held.push(h);
        const code = await tryBind(proto, bindHost, r.start);
        if (code === undefined) return h;
        this.held.splice(this.held.indexOf(h), 1);
        throw this.inUse(proto, bindHost, r.start, code);
      }
      for (let p = r.start; p <= r.end; p++) {
        const h = await this.claim(owner, proto, hostIp, p);
        if (h) return h;
      }
      throw new PortError(`no free host port in ${text} for ${bindHost}/${proto}`, 'PORT_IN_USE');
    }
    // Random: start anywhere in the range so two engines rarely race for the same port.
    const { start, end } = this.range;
    const size = end - start + 1;
    const first = Math.floor(Math.random() * size);
    for (let i = 0; i < size; i++) {
      const h = await this.claim(owner, proto, hostIp, start + ((first + i) % size));
      if (h) return h;
    }
    throw new PortError(`no free host port for ${bindHost}/${proto} in ${start}-${end}`, 'PORT_IN_USE');
  }

  private inUse(proto: Proto, host: string, port: number, code: string): PortError {
    if (code === 'EADDRNOTAVAIL')
      return new PortError(`cannot publish on ${host}: it is not an address of this host`, 'PORT_INVALID');
    if (code !== 'EADDRINUSE')
      return new PortError(`cannot publish ${host}:${port}/${proto}: ${code}`, 'PORT_IN_USE');
    const holder = portHolder(proto, port);
    return new PortError(
      `port ${port}/${proto} on ${host} is already in use${holder ? ` by ${holder}` : ''}`,
      'PORT_IN_USE',
    );
  }
}
