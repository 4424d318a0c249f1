/** Network records as Docker's wire shapes: NetworkResource, a container's NetworkSettings. */
import type { EndpointSettings, NetworkInspect, NetworkSettings } from '../../engine-api/network/types';
import type { EndpointRecord, NetworkRecord } from './store';

const ZERO_ID = '';

function prefixLen(n: NetworkRecord): number {
  return Number((n.IPAM.Config[0]?.Subnet ?? '/0').split('/')[1]);
}

/** `containers`: with the running containers on it (GET /networks/{id}); the list has none, as docker's. */
export function toInspect(
  n: NetworkRecord,
  containers: boolean,
  running: (id: string) => boolean = () => false,
): NetworkInspect {
  return {
    Name: n.Name,
    Id: n.Id,
    Created: n.created,
    Scope: 'local',
    Driver: n.Driver,
    EnableIPv6: n.EnableIPv6,
    IPAM: {
      Driver: 'default',
      Options: n.IPAM.Options ?? null,
      Config: n.IPAM.Config.map((c) => ({ ...c })),
    },
    Internal: n.Internal,
    Attachable: n.Attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers
      ? Object.fromEntries(
          Object.entries(n.endpoints)
            .filter(([id]) => running(id))
            .map(([id, e]) => [
              id,
              {
                Name: e.name,
                EndpointID: e.endpointId,
                MacAddress: e.mac,
                IPv4Address: `${e.ip}/${prefixLen(n)}`,
                IPv6Address: '',
              },
            ]),
        )
      : {},
    Options: { ...n.Options },
    Labels: { ...n.Labels },
  };
}

/** docker's `host` and `none`: listed and inspected, never records. */
export function pseudoNetwork(name: 'host' | 'none'): NetworkInspect {
  return {
    Name: name,
    // Stable per name, as docker's are per daemon.
    Id: Buffer.from(name.padEnd(32, '\0')).toString('hex'),
    Created: new Date(0).toISOString(),
    Scope: 'local',
    Driver: name === 'host' ? 'host' : 'null',
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: {},
    Options: {},
    Labels: {},
  };
}

function endpointSettings(n: NetworkRecord, e: EndpointRecord, running: boolean): EndpointSettings {
  // Addresses are the container's from create on; docker shows them while it runs.
  return {
    IPAMConfig: e.requestedIp ? { IPv4Address: e.requestedIp } : null,
    Links: null,
    Aliases: e.aliases.length ? [...e.aliases] : null,
    MacAddress: running ? e.mac : '',
    DriverOpts: null,
    NetworkID: n.Id,
    EndpointID: running ? e.endpointId : '',
    Gateway: running ? (n.IPAM.Config[0]?.Gateway ?? '') : '',
    IPAddress: running ? e.ip : '',
    IPPrefixLen: running ? prefixLen(n) : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: n.builtin ? null : [e.name, ...e.aliases],
  };
}

export function toSettings(
  eps: { n: NetworkRecord; e: EndpointRecord }[],
  running: boolean,
  pseudo?: 'host' | 'none',
): NetworkSettings {
  const networks: Record<string, EndpointSettings> = {};
  for (const { n, e } of eps) networks[n.Name] = endpointSettings(n, e, running);
  if (pseudo)
    networks[pseudo] = {
      IPAMConfig: null,
      Links: null,
      Aliases: null,
      MacAddress: '',
      DriverOpts: null,
      NetworkID: pseudoNetwork(pseudo).Id,
      EndpointID: '',
      Gateway: '',
      IPAddress: '',
      IPPrefixLen: 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: null,
    };
  // docker's top-level fields are the default bridge's endpoint, empty on any other network.
  const def = eps.find(({ n }) => n.builtin);
  const d = def ? networks[def.n.Name] : undefined;
  return {
    Bridge: '',
    SandboxID: ZERO_ID,
    SandboxKey: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: {},
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: d?.EndpointID ?? '',
    Gateway: d?.Gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: d?.IPAddress ?? '',
    IPPrefixLen: d?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: d?.MacAddress ?? '',
    Networks: networks,
  };
}
