/**
 * Where a container's network comes from (docker compose's defaultNetworkSettings):
 * `network_mode` as it is (`service:x` → x's container), else the service's networks in compose's
 * priority order, the first as HostConfig.NetworkMode. Every network's endpoint goes in the
 * create body, as docker compose sends them to an engine of API 1.44 or later: the engine attaches
 * them all at create, so nothing is connected between create and start.
 */
import { InvalidArgumentError } from '../common/errors';
import type { Project } from '../compose-model/types';
import type { ServiceConfig, ServiceNetworkConfig } from '../compose-model/project-types';
import type { EndpointSettings, NetworkingConfig } from '../engine-api/network/types';
import type { ContainerOf } from './convert-mounts';

/** compose-go's NetworksByPriority: the highest priority first, then by key. */
export function networksByPriority(service: ServiceConfig): string[] {
  const nets = service.networks ?? {};
  const prio = (k: string): number => nets[k]?.priority ?? 0;
  return Object.keys(nets).sort((a, b) => prio(b) - prio(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `service:x` → `container:<x's container>`; anything else as written. */
export function namespaceMode(mode: string | undefined, containerOf: ContainerOf): string | undefined {
  if (!mode) return undefined;
  return mode.startsWith('service:') ? `container:${containerOf(mode.slice('service:'.length))}` : mode;
}

export interface NetworkSetup {
  NetworkMode: string;
  NetworkingConfig?: NetworkingConfig;
}

export function networkSetup(
  project: Project,
  service: ServiceConfig,
  containerOf: ContainerOf,
  useAliases: boolean,
): NetworkSetup {
  if (service.networkMode) {
    // compose's `disabled` is docker's NetworkDisabled: no network at all.
    if (service.networkMode === 'disabled') return { NetworkMode: 'none' };
    return { NetworkMode: namespaceMode(service.networkMode, containerOf) as string };
  }
  const keys = networksByPriority(service);
  if (keys.length === 0) return { NetworkMode: 'none' };
  const primary = service.networks?.[keys[0]];
  if (service.macAddress && primary?.macAddress && primary.macAddress !== service.macAddress)
    throw new InvalidArgumentError(
      `service "${service.name}": the service-level mac_address should have the same value as network ${keys[0]}`,
    );
  const EndpointsConfig: Record<string, EndpointSettings> = {};
  keys.forEach((key, i) => {
    const net = project.networks[key];
    if (!net) throw new InvalidArgumentError(`service "${service.name}" refers to undefined network ${key}`);
    const cfg = service.networks?.[key] ?? undefined;
    const mac = cfg?.macAddress || (i === 0 ? service.macAddress : undefined);
    EndpointsConfig[net.name] = endpoint(service.name, cfg, mac, useAliases);
  });
  return { NetworkMode: project.networks[keys[0]].name, NetworkingConfig: { EndpointsConfig } };
}

function endpoint(
  serviceName: string,
  cfg: ServiceNetworkConfig | undefined,
  mac: string | undefined,
  useAliases: boolean,
): EndpointSettings {
  const ipam =
    cfg?.ipv4Address || cfg?.ipv6Address || cfg?.linkLocalIps?.length
      ? { IPv4Address: cfg.ipv4Address, IPv6Address: cfg.ipv6Address, LinkLocalIPs: cfg.linkLocalIps }
      : undefined;
  return {
    Aliases: useAliases ? [serviceName, ...(cfg?.aliases ?? [])] : undefined,
    IPAMConfig: ipam,
    MacAddress: mac || undefined,
    DriverOpts: cfg?.driverOpts && Object.keys(cfg.driverOpts).length ? cfg.driverOpts : undefined,
  };
}
