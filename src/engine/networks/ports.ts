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
import { TscomposeError } from '../../common/errors';
import { parseIpv4 } from './ipam';
import type { NatBinding } from './nat';

export class PortError extends TscomposeError {
  constructor(message: string, code = 'PORT_INVALID') {
    super(message, { code });
  }
}

export type Proto = 'tcp' | 'udp';

/** Docker's wire shapes. */
export interface PortBinding {
  HostIp: string;
  HostPort: string;
}
export type PortMap = Record<string, PortBinding[] | null>;
export type PortSet = Record<string, Record<string, never>>;

interface Range {
  start: number;
  end: number;
}

function parseRange(text: string, what: 'containerPort' | 'hostPort'): Range {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] !== undefined ? Number(m[2]) : start;
  const min = what === 'hostPort' ? 0 : 1;
  if (!m || start < min || end > 65535 || end < start) throw new PortError(`Invalid ${what}: ${text}`);
  return { start, end };
}

/** One `-p` value: `[ip:][hostPort[-end]:]containerPort[-end][/tcp|udp]`. */
export interface PortMapping {
  /** `80/tcp` */
  port: string;
  binding: PortBinding;
}

export function parsePortSpec(spec: string): PortMapping[] {
  const slash = spec.lastIndexOf('/');
  const proto = slash < 0 ? 'tcp' : spec.slice(slash + 1).toLowerCase();
  const rest = slash < 0 ? spec : spec.slice(0, slash);
  if (proto === 'sctp') throw new PortError(`sctp ports are not supported: ${spec}`);
  if (proto !== 'tcp' && proto !== 'udp') throw new PortError(`Invalid proto: ${proto}`);
  if (rest.startsWith('[')) throw new PortError(`IPv6 host addresses are not supported: ${spec}`);
  let ip = '';
  const parts = rest.split(':');
  if (parts.length > 3) throw new PortError(`Invalid port specification: ${JSON.stringify(spec)}`);
  const [container, host = ''] = [...parts].reverse();
  if (parts.length === 3) ip = parts[0];
  if (container === '') throw new PortError(`No port specified: ${spec}<empty>`);
  if (ip !== '' && parseIpv4(ip) === undefined) {
    if (ip.includes(':')) throw new PortError(`IPv6 host addresses are not supported: ${ip}`);
    throw new PortError(`Invalid ip address: ${ip}`);
  }
  const c = parseRange(container, 'containerPort');
  const h = host === '' ? undefined : parseRange(host, 'hostPort');
  const cLen = c.end - c.start;
  if (h && h.end - h.start !== cLen && cLen !== 0)
    throw new PortError(`Invalid ranges specified for container and host Ports: ${container} and ${host}`);
  const out: PortMapping[] = [];
  for (let i = 0; i <= cLen; i++) {
    let hostPort = '';
    // A host range for one container port means "any free one of these", kept as the range.
    if (h) hostPort = cLen === 0 ? host : String(h.start + i);
    out.push({ port: `${c.start + i}/${proto}`, binding: { HostIp: ip, HostPort: hostPort } });
  }
  return out;
}

/** `-p` values (and `--expose`-like container ports) to the API's two fields. */
export function parsePublish(specs: readonly string[]): { ExposedPorts: PortSet; PortBindings: PortMap } {
  const ExposedPorts: PortSet = {};
  const PortBindings: PortMap = {};
  for (const spec of specs)
    for (const m of parsePortSpec(spec)) {
      ExposedPorts[m.port] = {};
      (PortBindings[m.port] ??= [])?.push(m.binding);
    }
  return { ExposedPorts, PortBindings };
}

/** `80`, `80/udp` (an image's or `--expose`'s form) to `80/tcp` keys; a range is expanded. */
export function exposedKey(text: string): string[] {
  const slash = text.lastIndexOf('/');
  const proto = slash < 0 ? 'tcp' : text.slice(slash + 1).toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') throw new PortError(`Invalid proto: ${proto}`);
  const r = parseRange(slash < 0 ? text : text.slice(0, slash), 'containerPort');
  return Array.from({ length: r.end - r.start + 1 }, (_, i) => `${r.start + i}/${proto}`);
}

/** `-P`: every exposed port without a binding gets a random host port. */
export function publishAll(exposed: PortSet, bindings: PortMap): PortMap {
  const out: PortMap = { ...bindings };
  for (const key of Object.keys(exposed)) if (!out[key]?.length) out[key] = [{ HostIp: '', HostPort: '' }];
  return out;
}

function splitKey(key: string): { port: number; proto: Proto } {
  const [p, proto = 'tcp'] = key.split('/');
  const port = Number(p);
  if (!/^\d{1,5}$/.test(p) || port < 1 || port > 65535 || (proto !== 'tcp' && proto !== 'udp'))
    throw new PortError(`Invalid port: ${key}`);
  return { port, proto };
}

function keyOrder(a: string, b: string): number {
  const x = splitKey(a);
  const y = splitKey(b);
  return x.port - y.port || x.proto.localeCompare(y.proto);
}

/** Inspect's `NetworkSettings.Ports`: resolved bindings, and `null` for exposed but unpublished ports. */
export function inspectPorts(exposed: PortSet, resolved: PortMap): PortMap {
  const out: PortMap = {};
  for (const key of [...new Set([...Object.keys(exposed), ...Object.keys(resolved)])].sort(keyOrder))
    out[key] = resolved[key]?.length
      ? resolved[key]!.map((b) => ({ HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort }))
      : null;
  return out;
}

/** `docker port` lines: `80/tcp -> 0.0.0.0:8080`, or only the addresses when a port is asked. */
export function portLines(ports: PortMap, asked?: string): string[] {
  const want = asked === undefined ? undefined : asked.includes('/') ? asked : `${asked}/tcp`;
  const lines: string[] = [];
  for (const key of Object.keys(ports).sort(keyOrder)) {
    if (want !== undefined && key !== want) continue;
    for (const b of ports[key] ?? []) {
      const addr = `${b.HostIp || '0.0.0.0'}:${b.HostPort}`;
      lines.push(want === undefined ? `${key} -> ${addr}` : addr);
    }
  }
  if (want !== undefined && lines.length === 0)
    throw new PortError(`No public port '${want}' published`, 'NOT_FOUND');
  return lines;
}

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
