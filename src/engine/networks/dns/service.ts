/**
 * The embedded DNS server as the network manager uses it: one listener (UDP and TCP on one
 * port) on the gateway of each user-defined network that has containers, answering from the
 * current name index and forwarding the rest to the host's servers (read again each time a
 * listener opens, so an edited resolv.conf counts from the next network on).
 */
import type { DnsResolver } from './server';
import { DnsServer } from './server';
import { DEFAULT_RESOLV_CONF, upstreams } from './resolv-conf';

export interface DnsServiceOptions {
  /** The host's resolv.conf (engine.json's "resolv-conf"); docker's systemd-resolved rule applies. */
  resolvConf?: string;
  log?: (line: string) => void;
}

export class DnsService {
  private resolver: DnsResolver;
  private readonly server: DnsServer;

  constructor(
    initial: DnsResolver,
    private readonly o: DnsServiceOptions = {},
  ) {
    this.resolver = initial;
    // The server asks through this object, so a new index takes effect for the next packet.
    const current: DnsResolver = {
      knows: (ip) => this.resolver.knows?.(ip) ?? false,
      lookup: (ip, name) => this.resolver.lookup(ip, name),
      reverse: (ip, address) => this.resolver.reverse?.(ip, address),
      forwarders: (ip) => this.resolver.forwarders?.(ip),
    };
    this.server = new DnsServer({ resolver: current, upstreams: [], log: o.log });
  }

  setResolver(resolver: DnsResolver): void {
    this.resolver = resolver;
  }

  /**
   * A listener on `gateway` (kept if there is one); `port` is tried first (the one it had
   * before a daemon restart: running containers' rules point there), then any free port.
   */
  async listen(gateway: string, port?: number): Promise<number> {
    this.server.setUpstreams(upstreams(this.o.resolvConf ?? DEFAULT_RESOLV_CONF));
    const had = this.server.addresses.find((a) => a.address === gateway);
    if (had) return had.port;
    if (port) {
      try {
        return await this.server.listen(gateway, port);
      } catch (err) {
        this.o.log?.(
          `dns: port ${port} on ${gateway} is taken (${(err as Error).message}): another one is used`,
        );
      }
    }
    return this.server.listen(gateway, 0);
  }

  async unlisten(gateway: string): Promise<void> {
    await this.server.unlisten(gateway);
  }

  /** Where the listeners are, `{address, port}` each. */
  get listeners(): { address: string; port: number }[] {
    return this.server.addresses;
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}
