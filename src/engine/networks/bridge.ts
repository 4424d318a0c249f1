/**
 * The host side of a network: its bridge with the gateway's address, up; what the host's links
 * and routes already use (so a new subnet avoids them); the engine's own links found by tag.
 */
import { addAddress, listAddresses } from '../../platform/linux/netlink/addresses';
import { createBridge, deleteLink, findLink, listLinks, setLink } from '../../platform/linux/netlink/links';
import { listRoutes } from '../../platform/linux/netlink/routes';
import { withNetlink } from '../../platform/linux/netlink/socket';

/**
 * Makes the bridge if it is missing, with `gatewayCidr` on it, up. Idempotent (a restart calls
 * it for every network); true when it had to make the bridge.
 */
export function ensureBridge(name: string, gatewayCidr: string, mtu: number): boolean {
  return withNetlink((s) => {
    let link = findLink(s, name);
    const missing = !link;
    if (!link) {
      createBridge(s, name, { mtu });
      link = findLink(s, name);
      if (!link) throw new Error(`bridge ${name} vanished after its creation`);
    }
    const [address, prefix] = gatewayCidr.split('/');
    const has = listAddresses(s).some(
      (a) => a.index === link.index && a.address === address && a.prefixLen === Number(prefix),
    );
    if (!has) addAddress(s, link.index, gatewayCidr);
    if (!link.up) setLink(s, link.index, { up: true });
    return missing;
  });
}

/** Deletes links by name; those already gone are fine. */
export function removeLinks(names: readonly string[]): void {
  withNetlink((s) => {
    for (const name of names) {
      const link = findLink(s, name);
      if (link) deleteLink(s, link.index);
    }
  });
}

/** Names of the links that start with `prefix` (the engine's tag). */
export function linksNamed(prefix: string): string[] {
  return withNetlink((s) => listLinks(s))
    .map((l) => l.name)
    .filter((n) => n.startsWith(prefix));
}

/** Every IPv4 subnet the host has a route or an address in (default routes aside). */
export function hostTakenSubnets(): string[] {
  return withNetlink((s) => {
    const routes = listRoutes(s)
      .filter((r) => r.family === 'ipv4' && !r.destination.endsWith('/0'))
      .map((r) => r.destination);
    const addresses = listAddresses(s)
      .filter((a) => a.family === 'ipv4')
      .map((a) => `${a.address}/${a.prefixLen}`);
    return [...routes, ...addresses];
  });
}
