/**
 * The host's resolver settings: which resolv.conf to read (docker's systemd-resolved rule) and
 * the upstream servers the embedded DNS server forwards to.
 */
import fs from 'node:fs';
import net from 'node:net';

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';
/** Where systemd-resolved lists the servers its 127.0.0.53 stub itself asks. */
export const SYSTEMD_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';
const SYSTEMD_STUB = '127.0.0.53';
/** glibc's MAXNS: a resolver reads at most three nameserver lines. */
const MAX_NAMESERVERS = 3;
/** A resolv.conf is a few hundred bytes; a huge file (or a device) is not read whole. */
const MAX_RESOLV_BYTES = 64 * 1024;

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export interface Upstream {
  address: string;
  port: number;
}

/** resolv.conf(5): the last `search`/`domain` line wins, `options` lines add up, `#`/`;` start comments. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...values] = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    else if (key === 'search' || key === 'domain') out.search = values;
    else if (key === 'options') out.options.push(...values);
  }
  return out;
}

function readSmall(path: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(MAX_RESOLV_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Docker's rule: a resolv.conf whose only server is systemd-resolved's stub is useless inside a
 * container (the stub listens on the host's loopback), so the file systemd-resolved keeps of
 * the real servers is used instead, when it exists.
 */
export function hostResolvConfPath(configured = DEFAULT_RESOLV_CONF, systemd = SYSTEMD_RESOLV_CONF): string {
  const text = readSmall(configured);
  if (text === undefined) return configured;
  const servers = parseResolvConf(text).nameservers;
  if (servers.length === 1 && servers[0] === SYSTEMD_STUB && readSmall(systemd) !== undefined) return systemd;
  return configured;
}

/** The host's resolv.conf text after the systemd-resolved rule; empty when it cannot be read. */
export function hostResolvConf(configured = DEFAULT_RESOLV_CONF, systemd = SYSTEMD_RESOLV_CONF): string {
  return readSmall(hostResolvConfPath(configured, systemd)) ?? '';
}

/** `nameserver fe80::1%eth0`: a link-local server with its zone; anything else that is not an address is skipped. */
function serverAddress(value: string): string | undefined {
  const [address, zone] = value.split('%', 2);
  if (!net.isIP(address)) return undefined;
  if (zone !== undefined)
    return net.isIPv6(address) && /^[A-Za-z0-9_.-]{1,15}$/.test(zone) ? value : undefined;
  return address;
}

/**
 * The servers the engine's DNS server forwards to. They are asked from the host's namespace,
 * so a loopback server of the host (the stub when systemd-resolved keeps no list, a local
 * dnsmasq) is kept: unlike a container, the engine reaches it. No file, or no server in it,
 * means no upstream (queries for other names then fail; the 8.8.8.8 fallback belongs only to
 * a container's own resolv.conf, as in docker).
 */
export function upstreams(configured = DEFAULT_RESOLV_CONF, systemd = SYSTEMD_RESOLV_CONF): Upstream[] {
  return serversOf(hostResolvConf(configured, systemd));
}

export function serversOf(resolvConfText: string): Upstream[] {
  const out: Upstream[] = [];
  for (const ns of parseResolvConf(resolvConfText).nameservers) {
    const address = serverAddress(ns);
    if (address !== undefined && !out.some((u) => u.address === address)) out.push({ address, port: 53 });
    if (out.length === MAX_NAMESERVERS) break;
  }
  return out;
}

/**
 * A container's own `dns` servers as forwarding targets. A loopback address there means the
 * container's own loopback, which the engine cannot reach (and must not stand in for with the
 * host's): such servers are left out.
 */
export function containerForwarders(dns: readonly string[]): Upstream[] {
  const out: Upstream[] = [];
  for (const ns of dns) {
    const address = serverAddress(ns);
    if (address === undefined || isLoopback(address)) continue;
    out.push({ address, port: 53 });
    if (out.length === MAX_NAMESERVERS) break;
  }
  return out;
}

export function isLoopback(address: string): boolean {
  if (net.isIPv4(address)) return address.startsWith('127.');
  const lower = address.toLowerCase();
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(lower);
}
