/**
 * The names the embedded DNS server answers, as docker's resolver answers them: on each
 * user-defined network, a running container's name, its network aliases and its short id (also
 * with `.<network>` after them), seen only by the containers sharing that network. Built whole
 * from the network records whenever something changes (a start, a stop, a connect, a rename):
 * the records are the truth, and a query then costs map lookups only.
 */
import { normalizeName } from './dns/packet';
import type { DnsResolver } from './dns/server';
import type { NetworkRecord } from './store';

/** What the index needs of a container: absent means it is not running (its names are not answered). */
export interface IndexedContainer {
  /** Its own `dns` servers (HostConfig.Dns): where its other queries go. */
  dns?: readonly string[];
  /** HostConfig.Links: `name:alias` (docker-compose 1.29's `links:`), or docker's `/name:/self/alias`. */
  links?: readonly string[];
}

interface Holder {
  networkId: string;
  containerId: string;
  ip: string;
}

interface NetworkNames {
  name: string;
  internal: boolean;
  /** Name (lower case) → addresses, in a stable order (by address) the server rotates. */
  names: Map<string, string[]>;
  /** Address → `name.network`, for PTR. */
  reverse: Map<string, string>;
}

interface Client {
  containerId: string;
  /** The networks the container is on, in its interfaces' order (eth0 first): docker asks them in order. */
  networks: string[];
  dns: readonly string[];
  /** Its links: alias (lower case) → the linked container's name, which it asks for instead. */
  links: Map<string, string>;
}

/** As docker's resolver answers a link on a user-defined network: the alias, for this client alone. */
function linkAliases(links: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const link of links) {
    const [target, alias = target] = link.split(':', 2).map((part) => part.split('/').pop() ?? '');
    if (target && alias) out.set(normalizeName(alias), target);
  }
  return out;
}

function byAddress(a: string, b: string): number {
  const n = (ip: string): number => ip.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  return n(a) - n(b) || a.localeCompare(b);
}

export class NameIndex implements DnsResolver {
  private readonly networks = new Map<string, NetworkNames>();
  /** A container's address on any network → the container: subnets of one engine never overlap. */
  private readonly clients = new Map<string, Client>();

  static empty(): NameIndex {
    return new NameIndex([], () => undefined);
  }

  constructor(
    records: readonly NetworkRecord[],
    running: (containerId: string) => IndexedContainer | undefined,
  ) {
    const containers = new Map<string, { c: IndexedContainer; eps: { ifName: string; holder: Holder }[] }>();
    for (const n of records) {
      // The default bridge has no name resolution (docker's rule: legacy links only).
      if (n.builtin) continue;
      const entry: NetworkNames = {
        name: n.Name,
        internal: n.Internal,
        names: new Map(),
        reverse: new Map(),
      };
      this.networks.set(n.Id, entry);
      for (const [containerId, e] of Object.entries(n.endpoints)) {
        const c = running(containerId);
        if (!c) continue;
        const own = [e.name, containerId.slice(0, 12), ...e.aliases].filter((x) => x !== '');
        for (const raw of own) {
          for (const key of new Set([normalizeName(raw), normalizeName(`${raw}.${n.Name}`)])) {
            const list = entry.names.get(key) ?? [];
            if (!list.includes(e.ip)) list.push(e.ip);
            entry.names.set(key, list);
          }
        }
        entry.reverse.set(e.ip, `${e.name}.${n.Name}`);
        const held = containers.get(containerId) ?? { c, eps: [] };
        held.eps.push({ ifName: e.ifName, holder: { networkId: n.Id, containerId, ip: e.ip } });
        containers.set(containerId, held);
      }
      for (const list of entry.names.values()) list.sort(byAddress);
    }
    for (const [containerId, { c, eps }] of containers) {
      eps.sort((a, b) => a.ifName.localeCompare(b.ifName, undefined, { numeric: true }));
      const client: Client = {
        containerId,
        networks: eps.map((x) => x.holder.networkId),
        dns: c.dns ?? [],
        links: linkAliases(c.links ?? []),
      };
      for (const { holder } of eps) this.clients.set(holder.ip, client);
    }
  }

  knows(clientIp: string): boolean {
    return this.clients.has(clientIp);
  }

  /** The first of the client's networks (in its interfaces' order) that has the name answers it. */
  lookup(clientIp: string, name: string): readonly string[] | undefined {
    const client = this.clients.get(clientIp);
    if (!client) return undefined;
    const asked = normalizeName(name);
    const key = normalizeName(client.links.get(asked) ?? asked);
    for (const id of client.networks) {
      const hit = this.networks.get(id)?.names.get(key);
      if (hit) return hit;
    }
    return undefined;
  }

  reverse(clientIp: string, address: string): string | undefined {
    const client = this.clients.get(clientIp);
    if (!client) return undefined;
    for (const id of client.networks) {
      const hit = this.networks.get(id)?.reverse.get(address);
      if (hit) return hit;
    }
    return undefined;
  }

  /**
   * The container's own servers when it has some; none for a container only on internal
   * networks (no way out, as docker since 26); otherwise the engine's upstreams.
   */
  forwarders(clientIp: string): readonly string[] | undefined {
    const client = this.clients.get(clientIp);
    if (!client) return [];
    if (client.networks.every((id) => this.networks.get(id)?.internal)) return [];
    return client.dns.length ? client.dns : undefined;
  }
}
