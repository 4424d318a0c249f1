/** What `network ls` prints, as `docker network ls` prints it. */
import type { NetworkInspect } from '../../engine-api/network/types';
import { renderListing, shortId, type Context, type Listing } from '../format/listing';
import type { ListOptions } from '../format/listing';

const NETWORK_LISTING: Listing = {
  table: '{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
  headers: {
    ID: 'NETWORK ID',
    Name: 'NAME',
    Driver: 'DRIVER',
    Scope: 'SCOPE',
    IPv6: 'IPV6',
    Internal: 'INTERNAL',
    Labels: 'LABELS',
    CreatedAt: 'CREATED AT',
  },
};

function context(n: NetworkInspect, o: ListOptions): Context {
  return {
    ID: o.noTrunc ? n.Id : shortId(n.Id),
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    IPv6: String(n.EnableIPv6),
    Internal: String(n.Internal),
    Labels: Object.entries(n.Labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    CreatedAt: n.Created,
  };
}

export function renderNetworkList(networks: NetworkInspect[], o: ListOptions): string {
  const items = networks.map((n) => context(n, o));
  if (o.quiet) return items.map((i) => `${i.ID}\n`).join('');
  return renderListing(items, o.format, NETWORK_LISTING);
}
