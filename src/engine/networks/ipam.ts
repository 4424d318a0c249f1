/**
 * IPv4 address management for bridge networks, pure: no I/O, so the bridge side decides what is
 * "taken" (host routes and addresses from netlink dumps, other engine networks) and stores the
 * state this returns in the network record.
 *
 * IPv6 is refused (`ipv6Refusal`), not half-done: a v6 bridge also needs RA/NDP handling and
 * ip6 NAT rules that nothing here provides yet.
 */
import { TscomposeError } from '../../common/errors';

export class IpamError extends TscomposeError {
  constructor(message: string, code = 'IPAM_INVALID') {
    super(message, { code });
  }
}

/** One pool as docker's `default-address-pools` gives it: a base carved into subnets of `size`. */
export interface AddressPool {
  base: string;
  size: number;
}

/**
 * Docker's default pools: 172.17.0.0/16 (the default bridge takes it first), 172.18–31.0.0/16,
 * then 192.168.0.0/16 in /20s.
 */
export const DEFAULT_ADDRESS_POOLS: readonly AddressPool[] = [
  ...Array.from({ length: 15 }, (_, i) => ({ base: `172.${17 + i}.0.0/16`, size: 16 })),
  { base: '192.168.0.0/16', size: 20 },
];

export interface Cidr {
  /** Network address as an unsigned 32-bit number (host bits may be set for an interface address). */
  addr: number;
  prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIpv6(text: string): boolean {
  return text.includes(':');
}

export function parseIpv4(text: string): number | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  // Leading zeros are refused: some parsers read them as octal, so the meaning is ambiguous.
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `a.b.c.d/len`, or a bare address read as /32. Undefined for anything else (IPv6 included). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, prefix: 32 };
  const p = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return undefined;
  return { addr, prefix: Number(p) };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkOf(c: Cidr): number {
  return (c.addr & mask(c.prefix)) >>> 0;
}

function lastOf(c: Cidr): number {
  return (networkOf(c) | ~mask(c.prefix)) >>> 0;
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(networkOf(c))}/${c.prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return networkOf(a) <= lastOf(b) && networkOf(b) <= lastOf(a);
}

export function contains(outer: Cidr, ip: number): boolean {
  return ip >= networkOf(outer) && ip <= lastOf(outer);
}

/** The first of `taken` (CIDRs or addresses; IPv6 and default routes ignored) that overlaps `subnet`. */
export function findOverlap(subnet: string, taken: readonly string[]): string | undefined {
  const s = parseCidr(subnet);
  if (!s) return undefined;
  return taken.find((t) => {
    const c = parseCidr(t);
    // A default route covers everything; docker does not let it block a bridge, nor does this.
    return c !== undefined && c.prefix > 0 && overlaps(s, c);
  });
}

function toPool(entry: string | AddressPool, prefix: number | undefined): AddressPool {
  const p = typeof entry === 'string' ? { base: entry, size: Number(entry.split('/')[1] ?? 32) } : entry;
  return prefix === undefined ? p : { base: p.base, size: prefix };
}

/**
 * The first subnet of `pool` that overlaps nothing in `taken`. A string pool entry is a base used
 * whole (size = its own prefix); `prefix`, when given, carves every entry into subnets of that size.
 */
export function allocateSubnet(
  pool: readonly (string | AddressPool)[],
  taken: readonly string[],
  prefix?: number,
): string {
  const blockers = taken.map(parseCidr).filter((c): c is Cidr => c !== undefined && c.prefix > 0);
  for (const entry of pool) {
    const { base, size } = toPool(entry, prefix);
    const b = parseCidr(base);
    if (!b || !Number.isInteger(size) || size < b.prefix || size > 30)
      throw new IpamError(`invalid address pool ${base} (size ${size})`);
    const step = 2 ** (32 - size);
    for (let net = networkOf(b); net <= lastOf(b); net += step) {
      const candidate = { addr: net, prefix: size };
      if (!blockers.some((t) => overlaps(candidate, t))) return formatCidr(candidate);
    }
  }
  throw new IpamError(
    'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
    'IPAM_EXHAUSTED',
  );
}

/** The one line every IPv6 request gets. */
export function ipv6Refusal(): IpamError {
  return new IpamError(
    'IPv6 is not supported by this engine: create the network without enable_ipv6 or IPv6 subnets',
  );
}

/** `ipam.config` as the API gives it (Docker's field names). */
export interface IpamConfigInput {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

/** What the network record keeps; `Ipam.fromState` restores the allocator from it. */
export interface IpamState {
  subnet: string;
  gateway: string;
  ipRange?: string;
  /** Addresses held by endpoints (static or allocated), sorted. */
  allocated: string[];
  /** Where the next search starts: addresses are handed out serially, so a freed one is not reused at once. */
  next?: string;
}

function parseSubnet(text: string, what: string): Cidr {
  if (isIpv6(text)) throw ipv6Refusal();
  const c = parseCidr(text);
  if (!c || !text.includes('/'))
    throw new IpamError(`invalid ${what} ${JSON.stringify(text)}: expected a.b.c.d/len`);
  if (networkOf(c) !== c.addr) throw new IpamError(`invalid ${what} ${text} : it should be ${formatCidr(c)}`);
  return c;
}

function parseAddress(text: string, what: string): number {
  if (isIpv6(text)) throw ipv6Refusal();
  const n = parseIpv4(text);
  if (n === undefined)
    throw new IpamError(`invalid ${what} ${JSON.stringify(text)}: expected an IPv4 address`);
  return n;
}

/** One network's IPv4 configuration and its address allocations. */
export class Ipam {
  private readonly subnetC: Cidr;
  private readonly rangeC: Cidr;
  private readonly gatewayN: number;
  private readonly held = new Set<number>();
  private nextN: number;

  private constructor(subnet: Cidr, range: Cidr, gateway: number) {
    this.subnetC = subnet;
    this.rangeC = range;
    this.gatewayN = gateway;
    this.nextN = networkOf(range);
  }

  /**
   * A network's IPAM from its config; `subnet` is required here (the caller picks one with
   * `allocateSubnet` when the user gave none). The gateway defaults to the subnet's first address.
   */
  static create(config: { subnet: string; ipRange?: string; gateway?: string }): Ipam {
    const subnet = parseSubnet(config.subnet, 'subnet');
    if (subnet.prefix > 30)
      throw new IpamError(`subnet ${config.subnet} is too small: a bridge network needs at least a /30`);
    let range = subnet;
    if (config.ipRange !== undefined) {
      range = parseSubnet(config.ipRange, 'ip range');
      if (range.prefix < subnet.prefix || !contains(subnet, range.addr))
        throw new IpamError(`no matching subnet for range ${config.ipRange}`);
    }
    const gateway =
      config.gateway === undefined ? networkOf(subnet) + 1 : parseAddress(config.gateway, 'gateway');
    if (!Ipam.usable(subnet, gateway))
      throw new IpamError(`no matching subnet for gateway ${config.gateway}`);
    return new Ipam(subnet, range, gateway);
  }

  static fromState(state: IpamState): Ipam {
    const ipam = Ipam.create({ subnet: state.subnet, ipRange: state.ipRange, gateway: state.gateway });
    for (const ip of state.allocated) ipam.allocate(ip);
    if (state.next !== undefined) {
      const n = parseIpv4(state.next);
      if (n !== undefined && contains(ipam.rangeC, n)) ipam.nextN = n;
    }
    return ipam;
  }

  /** Network and broadcast addresses are never handed out. */
  private static usable(subnet: Cidr, ip: number): boolean {
    return contains(subnet, ip) && ip !== networkOf(subnet) && ip !== lastOf(subnet);
  }

  get subnet(): string {
    return formatCidr(this.subnetC);
  }

  get gateway(): string {
    return formatIpv4(this.gatewayN);
  }

  get ipRange(): string | undefined {
    return this.rangeC === this.subnetC ? undefined : formatCidr(this.rangeC);
  }

  get prefix(): number {
    return this.subnetC.prefix;
  }

  /**
   * An address for an endpoint: `requested` (a static address: anywhere in the subnet, as docker
   * allows outside ip_range) or the next free one of the range. Throws when taken or exhausted.
   */
  allocate(requested?: string): string {
    if (requested !== undefined) {
      const n = parseAddress(requested, 'IP address');
      if (!Ipam.usable(this.subnetC, n))
        throw new IpamError(`no configured subnet or ip-range contain the IP address ${requested}`);
      if (n === this.gatewayN || this.held.has(n))
        throw new IpamError(`Address already in use: ${requested}`, 'ADDRESS_IN_USE');
      this.held.add(n);
      return formatIpv4(n);
    }
    const first = networkOf(this.rangeC);
    const size = lastOf(this.rangeC) - first + 1;
    for (let i = 0; i < size; i++) {
      const n = first + ((this.nextN - first + i) % size);
      if (n !== this.gatewayN && !this.held.has(n) && Ipam.usable(this.subnetC, n)) {
        this.held.add(n);
        this.nextN = n + 1 > lastOf(this.rangeC) ? first : n + 1;
        return formatIpv4(n);
      }
    }
    throw new IpamError(
      `no available IPv4 addresses on this network's address pools: ${this.subnet}`,
      'IPAM_EXHAUSTED',
    );
  }

  /** Frees an address; releasing one that is not held is a no-op (removal must be idempotent). */
  release(ip: string): void {
    const n = parseIpv4(ip);
    if (n !== undefined) this.held.delete(n);
  }

  isAllocated(ip: string): boolean {
    const n = parseIpv4(ip);
    return n !== undefined && this.held.has(n);
  }

  toState(): IpamState {
    const state: IpamState = {
      subnet: this.subnet,
      gateway: this.gateway,
      allocated: [...this.held].sort((a, b) => a - b).map(formatIpv4),
      next: formatIpv4(this.nextN),
    };
    if (this.ipRange !== undefined) state.ipRange = this.ipRange;
    return state;
  }
}

/**
 * A network's IPAM from what the API was asked (`IPAM.Config`, `EnableIPv6`): the first IPv4
 * config, or a subnet from `pools` that avoids both host routes/addresses and other engine
 * networks. A subnet the user names may overlap a host route (as docker allows: the user knows
 * best) but never another engine network. IPv6 anywhere is refused.
 */
export function ipamForNetwork(
  request: { config?: readonly IpamConfigInput[]; enableIpv6?: boolean },
  pools: readonly (string | AddressPool)[],
  taken: { host: readonly string[]; networks: readonly string[] },
): Ipam {
  if (request.enableIpv6) throw ipv6Refusal();
  const configs = request.config ?? [];
  if (configs.some((c) => [c.Subnet, c.IPRange, c.Gateway].some((v) => v !== undefined && isIpv6(v))))
    throw ipv6Refusal();
  if (configs.length > 1)
    throw new IpamError('only one IPAM config per network is supported (one IPv4 subnet)');
  const c = configs[0] ?? {};
  if (c.Subnet === undefined) {
    if (c.IPRange !== undefined || c.Gateway !== undefined)
      throw new IpamError('ip range and gateway need a subnet in the same IPAM config');
    return Ipam.create({ subnet: allocateSubnet(pools, [...taken.host, ...taken.networks]) });
  }
  const ipam = Ipam.create({ subnet: c.Subnet, ipRange: c.IPRange, gateway: c.Gateway });
  const clash = findOverlap(ipam.subnet, taken.networks);
  if (clash !== undefined)
    throw new IpamError(
      `Pool overlaps with other one on this address space (${c.Subnet} and ${clash})`,
      'ADDRESS_IN_USE',
    );
  return ipam;
}
