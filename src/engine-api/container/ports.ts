/**
 * Docker's published-port grammar, pure, for both sides of the socket: `-p`/`--publish` values
 * to the API's `PortBindings` and `ExposedPorts`, `-P`, and back from inspect's `Ports` to
 * `container port` lines. IPv4 only, as the engine's networking: an IPv6 host address is refused.
 */
import net from 'node:net';
import { TscomposeError } from '../../common/errors';

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

export interface Range {
  start: number;
  end: number;
}

export function parseRange(text: string, what: 'containerPort' | 'hostPort'): Range {
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
  if (ip !== '' && !net.isIPv4(ip)) {
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

export function splitKey(key: string): { port: number; proto: Proto } {
  const [p, proto = 'tcp'] = key.split('/');
  const port = Number(p);
  if (!/^\d{1,5}$/.test(p) || port < 1 || port > 65535 || (proto !== 'tcp' && proto !== 'udp'))
    throw new PortError(`Invalid port: ${key}`);
  return { port, proto };
}

export function keyOrder(a: string, b: string): number {
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
