/**
 * Publishing a container's ports as one step: host ports checked or picked (ports.ts), DNAT
 * rules (nat.ts), and userland proxies (proxy.ts) for what DNAT cannot serve — IPv6 clients of
 * a port published on every address (the engine's rules and addresses are IPv4), or every
 * client when nftables is not available. All or nothing: a taken port is refused before any
 * rule or proxy exists.
 */
import { deleteConntrack, IPPROTO_UDP } from '../../platform/linux/netlink/conntrack';
import type { Nat, NatBinding, NatPublished } from './nat';
import { PortAllocator, type PortMap, type ResolvedPorts } from './ports';
import { ProxySet, type ProxyLimits, type ProxyTarget } from './proxy';

export interface PublisherOptions {
  /** IPv6 clients of ports published on every address are served by a proxy (docker's default). */
  userlandProxy?: boolean;
  proxyLimits?: Partial<ProxyLimits>;
  allocator?: PortAllocator;
  /** Makes the engine's nftables table if no network made it yet (NatHooks.ensure). */
  ensureTable?: () => void;
}

/** What a container's record keeps to publish again after a daemon restart (nat.ts's shape). */
export type PublishedRecord = NatPublished;

/**
 * A UDP flow keeps the NAT its first packet got while packets keep coming: once a port's rules
 * change (published, or gone), its conntrack entries go so the next packet meets the new rules
 * (docker does the same). Best effort: without ctnetlink there is nothing to flush by.
 */
function forgetUdpFlows(bindings: readonly NatBinding[]): void {
  for (const b of bindings) {
    if (b.proto !== 'udp') continue;
    try {
      deleteConntrack(IPPROTO_UDP, b.hostPort, b.hostIp && b.hostIp !== '0.0.0.0' ? b.hostIp : undefined);
    } catch {
      return; // no ctnetlink (or no conntrack): no stale flow either
    }
  }
}

/** An IPv6 listener the host cannot have (no IPv6): nothing to serve, not an error. */
function noIpv6(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL';
}

export class PortPublisher {
  readonly allocator: PortAllocator;
  private readonly proxies: ProxySet;
  private readonly userlandProxy: boolean;
  private readonly ensureTable: () => void;
  /** What each container has DNATed, for its flows to go with it. */
  private readonly natted = new Map<string, readonly NatBinding[]>();

  /** `nat` undefined: nftables is not available, every port goes through the proxy. */
  constructor(
    private readonly nat: Nat | undefined,
    opts: PublisherOptions = {},
  ) {
    this.allocator = opts.allocator ?? new PortAllocator();
    this.proxies = new ProxySet(opts.proxyLimits);
    this.userlandProxy = opts.userlandProxy ?? true;
    this.ensureTable = opts.ensureTable ?? (() => undefined);
  }

  /** Resolves the bindings (random ports picked) and makes them answer; inspect's bindings back. */
  async publish(containerId: string, containerIp: string, bindings: PortMap): Promise<ResolvedPorts> {
    const resolved = await this.allocator.allocate(containerId, bindings);
    try {
      await this.program({ containerId, containerIp, bindings: resolved.nat });
    } catch (err) {
      await this.unpublish(containerId);
      throw err;
    }
    return resolved;
  }

  private async program(r: PublishedRecord): Promise<void> {
    if (r.bindings.length === 0) return;
    if (this.nat) {
      this.ensureTable();
      this.nat.publish(r.containerId, r.containerIp, r.bindings);
      this.natted.set(r.containerId, r.bindings);
      forgetUdpFlows(r.bindings);
    }
    await this.serve(r);
  }

  /** The proxies a published container needs. */
  private async serve(r: PublishedRecord): Promise<void> {
    const targets = this.targets(r);
    if (!this.nat) await this.proxies.start(r.containerId, targets);
    if (!this.userlandProxy) return;
    for (const t of targets.filter((x) => x.hostIp === '')) {
      try {
        await this.proxies.start(r.containerId, [{ ...t, hostIp: '::' }]);
      } catch (err) {
        if (!noIpv6(err)) throw err;
      }
    }
  }

  /** Everything of the container's ports gone: rules, proxies, host ports. Idempotent. */
  async unpublish(containerId: string): Promise<void> {
    try {
      this.nat?.unpublish(containerId);
      forgetUdpFlows(this.natted.get(containerId) ?? []);
    } finally {
      this.natted.delete(containerId);
      await this.proxies.stop(containerId);
      this.allocator.release(containerId);
    }
  }

  /**
   * At daemon start, after `Nat.reset` made the rules again from the same records: host ports
   * re-taken and proxies started again.
   */
  async restore(records: readonly PublishedRecord[]): Promise<void> {
    for (const r of records) {
      this.allocator.restore(r.containerId, r.bindings);
      if (this.nat) this.natted.set(r.containerId, r.bindings);
      await this.serve(r);
    }
  }

  private targets(r: PublishedRecord): ProxyTarget[] {
    return r.bindings.map((b) => ({
      proto: b.proto,
      hostIp: b.hostIp ?? '',
      hostPort: b.hostPort,
      containerIp: r.containerIp,
      containerPort: b.containerPort,
    }));
  }

  /** Clean shutdown: every proxy closed (the table goes with `Nat.close`). */
  async close(): Promise<void> {
    await this.proxies.stopAll();
  }

  /** For the leak sweep. */
  proxied(): ProxyTarget[] {
    return this.proxies.listening();
  }
}
