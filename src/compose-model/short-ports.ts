/** Port short syntax (`[ip:][published[-end]:]target[-end][/proto]`) → long form, ranges expanded. */
import { ComposeError } from '../common/errors';
import type { Loc } from './source';

export interface PortConfig {
  name?: string;
  mode: string;
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
  app_protocol?: string;
}

export function parsePort(value: unknown, loc?: Loc): PortConfig[] {
  if (typeof value === 'number') return [{ mode: 'ingress', target: value, protocol: 'tcp' }];
  if (value && typeof value === 'object') return [longPort(value as Record<string, unknown>)];
  let s = String(value);
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    hostIp = s.slice(1, end);
    s = s.slice(end + 2);
  }
  const parts = s.split(':');
  if (parts.length > 3 || (hostIp !== undefined && parts.length > 2)) throw invalid(value, loc);
  if (parts.length === 3) hostIp = parts.shift();
  const targetText = parts.pop() as string;
  const publishedText = parts.pop();
  const target = range(targetText, value, loc);
  const published = publishedText ? range(publishedText, value, loc) : undefined;
  if (published && published.length !== target.length && !(published.length > 1 && target.length === 1)) {
    throw new ComposeError(
      `invalid port range ${JSON.stringify(String(value))}: published and target ranges differ in length`,
      loc,
    );
  }
  return target.map((t, i) => {
    const p: PortConfig = { mode: 'ingress', target: t, protocol };
    if (hostIp) p.host_ip = hostIp;
    if (published) {
      p.published =
        published.length > 1 && target.length === 1
          ? `${published[0]}-${published[published.length - 1]}`
          : String(published[i]);
    }
    return order(p);
  });
}

function order(p: PortConfig): PortConfig {
  const out: PortConfig = { mode: p.mode } as PortConfig;
  if (p.name !== undefined) out.name = p.name;
  if (p.host_ip !== undefined) out.host_ip = p.host_ip;
  out.target = p.target;
  if (p.published !== undefined) out.published = p.published;
  out.protocol = p.protocol;
  if (p.app_protocol !== undefined) out.app_protocol = p.app_protocol;
  return out;
}

function longPort(p: Record<string, unknown>): PortConfig {
  const out: PortConfig = {
    ...(p as unknown as PortConfig),
    mode: (p.mode as string) ?? 'ingress',
    // Not a number: left as written for the typed stage to refuse where it was written.
    target: /^\d+$/.test(String(p.target)) ? Number(p.target) : (p.target as number),
    protocol: (p.protocol as string) ?? 'tcp',
  };
  if (p.published !== undefined && p.published !== null) out.published = String(p.published);
  return order(out);
}

function range(text: string, value: unknown, loc?: Loc): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw invalid(value, loc);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (end < start || end > 65535) throw new ComposeError(`invalid port range: ${text}`, loc);
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

function invalid(value: unknown, loc?: Loc): ComposeError {
  return new ComposeError(`invalid port ${JSON.stringify(String(value))}`, loc);
}
