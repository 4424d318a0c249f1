/**
 * The network mode and the /etc/hosts, /etc/resolv.conf and /etc/hostname the container gets,
 * written like docker's libnetwork writes them (etchosts.Build, resolvconf.FilterResolvDNS and
 * resolvconf.Build).
 */
import net from 'node:net';
import { InvalidArgumentError } from '../../common/errors';
import type { HostConfig } from '../../engine-api/container/types';
import { EMBEDDED_DNS_ADDRESS } from '../networks/dns/redirect';
import { parseResolvConf } from '../networks/dns/resolv-conf';

export type NetworkMode = 'none' | 'host' | 'bridge' | 'container';

/**
 * The kind of network a mode asks for. Whether a named network exists is the network
 * manager's to check (at create, before this); without one (a bare runtime), `bridge` gets a
 * namespace of its own with only loopback, as `none`.
 */
export function networkMode(mode: string | undefined): NetworkMode {
  const name = mode ?? '';
  if (name === 'host') return 'host';
  if (['', 'default', 'none'].includes(name)) return 'none';
  if (name.startsWith('container:')) {
    if (name.length === 'container:'.length) throw new InvalidArgumentError(`invalid network mode: ${name}`);
    return 'container';
  }
  return 'bridge';
}

const DEFAULT_HOSTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/** Where the container's own name resolves while it has no address of its own (Debian's convention). */
const OWN_NAME_ADDRESS = '127.0.1.1';

const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

/** Linux's HOST_NAME_MAX: the most `sethostname` and `setdomainname` take. */
const NAME_MAX_BYTES = 64;
/** Dot-separated labels of letters, digits, `-` and `_`, no label starting or ending with `-`. */
const DNS_NAME = /^(?!-)[A-Za-z0-9_-]*[A-Za-z0-9_](\.(?!-)[A-Za-z0-9_-]*[A-Za-z0-9_])*$/;
/** A resolv.conf option: `ndots:2`, `rotate`, `single-request-reopen`. */
const RESOLV_OPTION = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/**
 * The container's hostname and domainname become /etc/hosts and /etc/hostname lines and the
 * kernel's UTS names: a newline would add a line of its own, so docker's name rule holds.
 */
export function checkUtsName(what: 'hostname' | 'domainname', name: string | undefined): void {
  if (!name) return;
  if (Buffer.byteLength(name) > NAME_MAX_BYTES || !DNS_NAME.test(name))
    throw new InvalidArgumentError(`invalid ${what} format: ${JSON.stringify(name)}`);
}

/** Whether `name` can be a word of an /etc/hosts line (network aliases are looser: `web-` is one). */
export function isHostsName(name: string): boolean {
  return Buffer.byteLength(name) <= 255 && DNS_NAME.test(name);
}

/** `name:ip` (the API's form) or `name=ip`; an IPv6 address may be in brackets. */
export function parseExtraHost(entry: string): string {
  const eq = entry.indexOf('=');
  const sep = eq >= 0 ? eq : entry.indexOf(':');
  const name = sep < 0 ? '' : entry.slice(0, sep).trim();
  const ip = sep < 0 ? '' : entry.slice(sep + 1).replace(/^\[(.*)\]$/, '$1');
  if (!name || !ip) throw new InvalidArgumentError(`bad format for add-host: ${JSON.stringify(entry)}`);
  // The name is one field of an /etc/hosts line: a space or newline would add names or lines.
  if (Buffer.byteLength(name) > 255 || !DNS_NAME.test(name))
    throw new InvalidArgumentError(`invalid hostname in add-host: ${JSON.stringify(name)}`);
  if (ip === 'host-gateway') {
    throw new InvalidArgumentError(
      `add-host "${entry}": host-gateway needs a bridge network (not supported yet)`,
    );
  }
  if (!net.isIP(ip)) throw new InvalidArgumentError(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
  return `${ip}\t${name}`;
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** `web.example.com web`: the full name first, then the short one, as docker writes its own record. */
function ownNames(hostname: string, domainname?: string): string {
  const fqdn = domainname ? `${hostname}.${domainname}` : hostname;
  const short = fqdn.split('.', 1)[0];
  return short === fqdn ? fqdn : `${fqdn} ${short}`;
}

export function hostsFile(
  mode: NetworkMode,
  hc: HostConfig,
  hostHosts: string,
  hostname: string,
  domainname?: string,
): string {
  const extra = (hc.ExtraHosts ?? []).map(parseExtraHost);
  if (mode === 'host') return withNewline(hostHosts) + extra.map((l) => `${l}\n`).join('');
  const lines = [...DEFAULT_HOSTS, ...extra, `${OWN_NAME_ADDRESS}\t${ownNames(hostname, domainname)}`];
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * /etc/hosts of a container on a bridge network: each of its addresses with its own names and
 * its network aliases, after the extra hosts, as docker's libnetwork adds its record. Call it
 * where `hostsFile` gives a `none` container 127.0.1.1: `bridgedHostsFile(hc, hostname,
 * domainname, ['172.18.0.2'], ['web', 'db-alias'])` (addresses without prefix length, aliases
 * of every network the container is on).
 */
export function bridgedHostsFile(
  hc: HostConfig,
  hostname: string,
  domainname: string | undefined,
  addresses: readonly string[],
  aliases: readonly string[],
): string {
  const extra = (hc.ExtraHosts ?? []).map(parseExtraHost);
  const own = ownNames(hostname, domainname).split(' ');
  const names = [...own, ...aliases.filter((a, i) => !own.includes(a) && aliases.indexOf(a) === i)];
  for (const a of aliases) {
    // An alias is a word of the line: a space or newline would add names or lines.
    if (Buffer.byteLength(a) > 255 || !DNS_NAME.test(a))
      throw new InvalidArgumentError(`invalid network alias: ${JSON.stringify(a)}`);
  }
  for (const ip of addresses)
    if (!net.isIP(ip)) throw new InvalidArgumentError(`invalid IP address: ${JSON.stringify(ip)}`);
  const records = addresses.map((ip) => `${ip}\t${names.join(' ')}`);
  return [...DEFAULT_HOSTS, ...extra, ...records].map((l) => `${l}\n`).join('');
}

/** Loopback servers are the host's own and unreachable from another network namespace; IPv6 is not set up. */
function reachable(ns: string): boolean {
  return net.isIPv4(ns) && !ns.startsWith('127.');
}

/**
 * Each value becomes a word of a resolv.conf line: one with a space, a newline or a control
 * character would add words or lines (another nameserver, options) of the client's choosing.
 */
function checkResolvValues(
  dns: readonly string[],
  search: readonly string[],
  options: readonly string[],
): void {
  for (const s of dns)
    if (!net.isIP(s)) throw new InvalidArgumentError(`invalid DNS server address: ${JSON.stringify(s)}`);
  for (const d of search) {
    // `.` alone means no search domains at all (docker's `--dns-search .`).
    if (d !== '.' && (Buffer.byteLength(d) > 253 || !DNS_NAME.test(d.replace(/\.$/, ''))))
      throw new InvalidArgumentError(`${JSON.stringify(d)} is not a valid domain`);
  }
  for (const o of options) {
    if (Buffer.byteLength(o) > 255 || !RESOLV_OPTION.test(o))
      throw new InvalidArgumentError(`invalid DNS option: ${JSON.stringify(o)}`);
  }
}

export function resolvConfFile(mode: NetworkMode, hc: HostConfig, hostResolv: string): string {
  const dns = hc.Dns ?? [];
  const search = hc.DnsSearch ?? [];
  const options = hc.DnsOptions ?? [];
  checkResolvValues(dns, search, options);
  const overridden = dns.length > 0 || search.length > 0 || options.length > 0;
  if (mode === 'host' && !overridden) return hostResolv;
  if (!overridden) {
    // The host's file as it is, minus the servers the container cannot reach.
    const kept = hostResolv
      .split('\n')
      .filter((l) => {
        const m = /^\s*nameserver\s+(\S+)/.exec(l);
        return !m || reachable(m[1]);
      })
      .join('\n');
    if (parseResolvConf(kept).nameservers.length > 0) return withNewline(kept);
    return withNewline(kept) + FALLBACK_NAMESERVERS.map((n) => `nameserver ${n}\n`).join('');
  }
  const host = parseResolvConf(hostResolv);
  const hostServers = mode === 'host' ? host.nameservers : host.nameservers.filter(reachable);
  const servers = dns.length > 0 ? dns : hostServers.length > 0 ? hostServers : FALLBACK_NAMESERVERS;
  const domains = search.length > 0 ? search : host.search;
  const opts = options.length > 0 ? options : host.options;
  let text = '';
  // `--dns-search .` means no search domains at all.
  if (domains.length > 0 && domains.join(' ').trim() !== '.') text += `search ${domains.join(' ')}\n`;
  text += servers.map((n) => `nameserver ${n}\n`).join('');
  if (opts.join(' ').trim() !== '') text += `options ${opts.join(' ')}\n`;
  return text;
}

/** `ndots:0` unless the container sets its own: docker's resolver asks for it (names without a dot go to it first). */
const EMBEDDED_DNS_OPTIONS = ['ndots:0'];

/**
 * resolv.conf of a container on a user-defined network: the embedded server at 127.0.0.11
 * only (it forwards to the host's servers or the container's `--dns` ones itself), with the
 * search domains and options of `--dns-search`/`--dns-opt` or else the host's, as docker's
 * internal-resolver transform writes it.
 */
export function embeddedDnsResolvConfFile(hc: HostConfig, hostResolv: string): string {
  const dns = hc.Dns ?? [];
  const search = hc.DnsSearch ?? [];
  const options = hc.DnsOptions ?? [];
  checkResolvValues(dns, search, options);
  const host = parseResolvConf(hostResolv);
  const domains = search.length > 0 ? search : host.search;
  // An ndots the container cannot use (not a number) gives way to the resolver's own.
  const opts = (options.length > 0 ? options : host.options).filter(
    (o) => !o.startsWith('ndots:') || /^ndots:\d+$/.test(o),
  );
  for (const o of EMBEDDED_DNS_OPTIONS) {
    const key = o.split(':', 1)[0];
    if (!opts.some((x) => x.split(':', 1)[0] === key)) opts.push(o);
  }
  let text = `nameserver ${EMBEDDED_DNS_ADDRESS}\n`;
  if (domains.length > 0 && domains.join(' ').trim() !== '.') text += `search ${domains.join(' ')}\n`;
  text += `options ${opts.join(' ')}\n`;
  return text;
}
