/**
 * The engine's NAT on the network manager's events: a bridge network's masquerade (or, internal,
 * its wall) while the network exists, and hairpin mode on each container's host veth so a
 * container reaches a port published by its own network. The table is made (reset: what a crash
 * left goes) by the first network, or at start when a previous daemon left one, so an engine
 * with no bridge network never adds a table to the host's firewall.
 */
import { linkIndex, setHairpin } from '../../platform/linux/netlink/links';
import { withNetlink } from '../../platform/linux/netlink/socket';
import type { EndpointInfo, NetworkHooks, NetworkInfo } from './hooks';
import type { Nat } from './nat';

export class NatHooks implements NetworkHooks {
  private ready = false;

  constructor(readonly nat: Nat) {}

  /** At daemon start: a table a previous daemon left is flushed to its skeleton. */
  start(): void {
    try {
      this.nat.rules();
    } catch {
      return; // no table: nothing to flush
    }
    this.reset();
  }

  private reset(): void {
    this.nat.reset({ networks: [], published: [] });
    this.ready = true;
  }

  /** The table exists (made at the first use): for the publisher. */
  ensure(): void {
    if (!this.ready) this.reset();
  }

  networkUp(n: NetworkInfo): void {
    this.ensure();
    this.nat.network({ bridge: n.bridge, subnet: n.subnet, internal: n.internal });
  }

  networkDown(n: NetworkInfo): void {
    if (this.ready) this.nat.removeNetwork(n.bridge);
  }

  endpointUp(e: EndpointInfo): void {
    // By netlink, not /sys: sysfs shows the namespace it was mounted in, not necessarily the daemon's.
    withNetlink((s) => setHairpin(s, linkIndex(s, e.hostVeth), true));
  }

  /** Clean shutdown: the table goes. */
  close(): void {
    if (this.ready) this.nat.close();
    this.ready = false;
  }
}
