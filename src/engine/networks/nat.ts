/**
 * The engine's own nftables table: masquerade out of bridge networks, `internal` networks kept
 * in, published ports as DNAT (RUNTIME.md, Networking). Nothing outside this table is touched,
 * so deleting the table undoes all of it, and engines with different roots never meet.
 *
 * Every rule carries a comment naming its owner (`ctr:<id>` or `net:<bridge>`): unpublishing a
 * container or removing a network deletes exactly the rules with its comment, by handle, in one
 * transaction.
 */
import fs from 'node:fs';
import { NFT_OUTPUT_HANDLE, NFT_OUTPUT_JSON, runNft } from '../../platform/linux/nftables';
import { formatCidr, parseCidr, parseIpv4 } from './ipam';
import { engineTag } from './names';

export function natTableName(root: string): string {
  return `tscompose_${engineTag(root)}`;
}

/** One host port forwarded to one container port (ranges are expanded before they get here). */
export interface NatBinding {
  proto: 'tcp' | 'udp';
  /** A host address to accept on; absent (or 0.0.0.0) means every local address. */
  hostIp?: string;
  hostPort: number;
  containerPort: number;
}

export interface NatNetwork {
  bridge: string;
  subnet: string;
  internal: boolean;
}

export interface NatPublished {
  containerId: string;
  containerIp: string;
  bindings: readonly NatBinding[];
}

const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;
const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

function bridgeName(name: string): string {
  // '.' and '..' would name a directory under /proc/sys, never a link.
  if (!BRIDGE_NAME.test(name) || name === '.' || name === '..')
    throw new Error(`invalid bridge name ${JSON.stringify(name)}`);
  return name;
}

function address(ip: string, what: string): string {
  if (parseIpv4(ip) === undefined)
    throw new Error(`invalid ${what} ${JSON.stringify(ip)}: expected an IPv4 address`);
  return ip;
}

function port(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port ${n}`);
  return n;
}

/** Writes a sysctl under /proc/sys/net unless it already holds the value. */
function sysctl(rel: string, value: string): void {
  const file = `/proc/sys/net/${rel}`;
  if (fs.readFileSync(file, 'utf8').trim() !== value) fs.writeFileSync(file, value);
}

export interface NftRuleJson {
  rule: { chain: string; handle: number; comment?: string };
}

/** Whether br_netfilter sends bridged traffic through the ip hooks (it changes how hairpin works). */
export function brNetfilterOn(): boolean {
  try {
    return fs.readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

export class Nat {
  readonly table: string;
  /** Every bridge of this engine is named with it (names.ts contract: `tsc<tag>-<n>`). */
  private readonly bridgePrefix: string;

  constructor(root: string) {
    this.table = natTableName(root);
    this.bridgePrefix = `tsc${engineTag(root)}-`;
  }

  private get t(): string {
    return `inet ${this.table}`;
  }

  /** The table's skeleton: hook chains that only jump or hold per-owner rules. */
  private skeleton(): string[] {
    const t = this.t;
    return [
      `add table ${t}`,
      `add chain ${t} published`,
      // Numeric priorities (dstnat -100, srcnat 100, filter 0): nft 1.0.6 refuses some of the names.
      `add chain ${t} prerouting { type nat hook prerouting priority -100; policy accept; }`,
      `add chain ${t} output { type nat hook output priority -100; policy accept; }`,
      `add chain ${t} postrouting { type nat hook postrouting priority 100; policy accept; }`,
      `add chain ${t} forward { type filter hook forward priority 0; policy accept; }`,
      // Only traffic for an address of this host is DNATed; traffic passing through is not.
      `add rule ${t} prerouting fib daddr type local jump published`,
      `add rule ${t} output fib daddr type local jump published`,
    ];
  }

  private networkRules(n: NatNetwork): string[] {
    const t = this.t;
    const br = bridgeName(n.bridge);
    const c = parseCidr(n.subnet);
    if (!c) throw new Error(`invalid subnet ${JSON.stringify(n.subnet)}`);
    const subnet = formatCidr(c);
    const tag = `comment "net:${br}"`;
    if (n.internal)
      return [
        `add rule ${t} forward iifname "${br}" oifname != "${br}" drop ${tag}`,
        `add rule ${t} forward oifname "${br}" iifname != "${br}" drop ${tag}`,
      ];
    return [
      // Networks are isolated from each other, as docker's are: a container reaches another
      // network only through a published port (a DNATed connection, both ways).
      `add rule ${t} forward iifname "${br}" oifname "${this.bridgePrefix}*" oifname != "${br}" ct status ! dnat drop ${tag}`,
      `add rule ${t} postrouting oifname != "${br}" ip saddr ${subnet} masquerade ${tag}`,
      // 127.0.0.1:port DNATed to the bridge keeps its loopback source; the container could not
      // answer it, so it leaves as the bridge's address (route_localnet lets it leave at all).
      `add rule ${t} postrouting oifname "${br}" ip saddr 127.0.0.0/8 masquerade ${tag}`,
      // Hairpin: a container reaching a port published by its own network would get the answer
      // straight from the peer, not from the address it asked; masquerading makes it come back.
      // Matched by source subnet, not `iifname`: with br_netfilter the bridged packet reaches
      // postrouting with no input interface.
      `add rule ${t} postrouting oifname "${br}" ip saddr ${subnet} ct status dnat masquerade ${tag}`,
    ];
  }

  private publishRules(p: NatPublished): string[] {
    if (!CONTAINER_ID.test(p.containerId))
      throw new Error(`invalid container id ${JSON.stringify(p.containerId)}`);
    const ip = address(p.containerIp, 'container address');
    return p.bindings.map((b) => {
      if (b.proto !== 'tcp' && b.proto !== 'udp')
        throw new Error(`invalid protocol ${JSON.stringify(b.proto)}`);
      const daddr =
        b.hostIp && b.hostIp !== '0.0.0.0'
          ? `ip daddr ${address(b.hostIp, 'host address')} `
          : 'meta nfproto ipv4 ';
      return `add rule ${this.t} published ${daddr}${b.proto} dport ${port(b.hostPort)} dnat ip to ${ip}:${port(b.containerPort)} comment "ctr:${p.containerId}"`;
    });
  }

  /**
   * At daemon start: whatever a crash left in the table goes, and the table is made again with
   * only what the records say is in use, in one transaction. A record that cannot be turned
   * into rules (damaged, or its bridge gone) is left out and named in the returned problems, so
   * one bad record never keeps the rest from answering.
   */
  reset(keep: { networks: readonly NatNetwork[]; published: readonly NatPublished[] }): string[] {
    const problems: string[] = [];
    const rules: string[] = [];
    const collect = (what: string, make: () => string[]): void => {
      try {
        rules.push(...make());
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    for (const n of keep.networks)
      collect(`network ${n.bridge}`, () => {
        const r = this.networkRules(n);
        this.networkSysctls(n);
        return r;
      });
    for (const p of keep.published) collect(`ports of ${p.containerId}`, () => this.publishRules(p));
    runNft([`add table ${this.t}`, `delete table ${this.t}`, ...this.skeleton(), ...rules].join('\n'));
    return problems;
  }

  /** The table removed (clean shutdown). */
  close(): void {
    runNft(`add table ${this.t}\ndelete table ${this.t}`);
  }

  private networkSysctls(n: NatNetwork): void {
    if (n.internal) return;
    // Forwarding is what lets containers out and DNATed clients in; docker turns it on as well.
    sysctl('ipv4/ip_forward', '1');
    sysctl(`ipv4/conf/${bridgeName(n.bridge)}/route_localnet`, '1');
  }

  /** A network's rules (the bridge must exist): masquerade out unless internal, else a wall. */
  network(n: NatNetwork): void {
    this.networkSysctls(n);
    this.replace(`net:${bridgeName(n.bridge)}`, this.networkRules(n));
  }

  removeNetwork(bridge: string): void {
    this.replace(`net:${bridgeName(bridge)}`, []);
  }

  /** A container's published ports; publishing again replaces what it had. */
  publish(containerId: string, containerIp: string, bindings: readonly NatBinding[]): void {
    const rules = this.publishRules({ containerId, containerIp, bindings });
    this.replace(`ctr:${containerId}`, rules);
  }

  unpublish(containerId: string): void {
    if (!CONTAINER_ID.test(containerId))
      throw new Error(`invalid container id ${JSON.stringify(containerId)}`);
    this.replace(`ctr:${containerId}`, []);
  }

  /** The table's rules with their handles and comments (for removal, and for tests and leak sweeps). */
  rules(): NftRuleJson['rule'][] {
    let out: string;
    try {
      out = runNft(`list table ${this.t}`, NFT_OUTPUT_JSON | NFT_OUTPUT_HANDLE);
    } catch (err) {
      throw new Error(
        `the engine's nftables table ${this.t} is missing (the engine resets it at start): ${(err as Error).message}`,
      );
    }
    const parsed = JSON.parse(out) as { nftables: Partial<NftRuleJson>[] };
    return parsed.nftables.flatMap((e) => (e.rule ? [e.rule] : []));
  }

  /** Deletes every rule with `comment` and adds `rules`, all or nothing. */
  private replace(comment: string, rules: readonly string[]): void {
    const deletes = this.rules()
      .filter((r) => r.comment === comment)
      .map((r) => `delete rule ${this.t} ${r.chain} handle ${r.handle}`);
    if (deletes.length || rules.length) runNft([...deletes, ...rules].join('\n'));
  }
}
