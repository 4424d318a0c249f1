/**
 * A minimal IPv4 IPAM against the interface the nat piece's ipam.ts provides (networks-design.md):
 * subnets picked from a pool around what is taken, and per network its gateway and the next free
 * address. The state is the network record itself (its endpoints' addresses), so nothing else is
 * kept. Swap in ipam.ts once it lands.
 */

export interface Cidr {
  base: number;
  prefix: number;
}

/** Docker's default address pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s. */
export const DEFAULT_POOL: string[] = [
  ...Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`),
  ...Array.from({ length: 16 }, (_, i) => `192.168.${i * 16}.0/20`),
];

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `10.1.0.0/16`, or an address alone (a /32); undefined when it is neither. */
export function parseCidr4(text: string): Cidr | undefined {
  const [ip, len, extra] = text.split('/');
  const n = ipToInt(ip);
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (n === undefined || extra !== undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { base: (n & mask(prefix)) >>> 0, prefix };
}

export function cidrText(c: Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

export function contains(c: Cidr, ip: number): boolean {
  return (ip & mask(c.prefix)) >>> 0 === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b.base) || contains(b, a.base);
}

/**
 * The first subnet of the pool (each entry split into subnets of `prefix`, else taken whole)
 * that overlaps nothing in `taken` (host routes and addresses, other networks).
 */
export function allocateSubnet(pool: string[], taken: string[], prefix?: number): string {
  const busy = taken.map(parseCidr4).filter((c): c is Cidr => c !== undefined);
  for (const entry of pool) {
    const range = parseCidr4(entry);
    if (!range) continue;
    const size = prefix ?? range.prefix;
    if (size < range.prefix) continue;
    const step = 2 ** (32 - size);
    for (let base = range.base; contains(range, base); base += step) {
      const c = { base, prefix: size };
      if (!busy.some((b) => overlaps(b, c))) return cidrText(c);
      if (base + step > 0xffffffff) break;
    }
  }
  throw new Error(
    'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
  );
}

/** The addresses of one network: its gateway, and free ones from its range. */
export class Ipam {
  readonly subnet: Cidr;
  readonly range: Cidr;
  readonly gateway: string;
  private readonly taken: Set<number>;

  constructor(subnet: string, gateway: string | undefined, ipRange: string | undefined, allocated: string[]) {
    const s = parseCidr4(subnet);
    if (!s || s.prefix > 30) throw new Error(`invalid subnet ${subnet}`);
    this.subnet = s;
    this.range = (ipRange && parseCidr4(ipRange)) || s;
    this.gateway = gateway ?? intToIp(s.base + 1);
    this.taken = new Set(allocated.map((ip) => ipToInt(ip)!));
  }

  private usable(n: number): boolean {
    const broadcast = this.subnet.base + 2 ** (32 - this.subnet.prefix) - 1;
    return (
      contains(this.subnet, n) && n !== this.subnet.base && n !== broadcast && n !== ipToInt(this.gateway)
    );
  }

  /** A requested address (checked) or the first free one of the range. */
  allocate(requested?: string): string {
    if (requested !== undefined) {
      const n = ipToInt(requested);
      if (n === undefined) throw new Error(`invalid IPv4 address: ${requested}`);
      if (!this.usable(n))
        throw new Error(`no configured subnet or ip-range contain the IP address ${requested}`);
      if (this.taken.has(n)) throw new Error('Address already in use');
      this.taken.add(n);
      return requested;
    }
    const size = 2 ** (32 - this.range.prefix);
    for (let n = this.range.base; n < this.range.base + size; n++) {
      if (this.usable(n) && !this.taken.has(n)) {
        this.taken.add(n);
        return intToIp(n);
      }
    }
    throw new Error(`no available IPv4 addresses on this network's address pools (${cidrText(this.subnet)})`);
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.taken.delete(n);
  }
}
