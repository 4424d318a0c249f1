/**
 * Docker's wire shapes for networks (Engine API v1.41+: NetworkCreateRequest, NetworkResource,
 * EndpointSettings, NetworkSettings), as much as the engine fills.
 */

export interface IpamConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface Ipam {
  Driver?: string;
  Config?: IpamConfig[];
  Options?: Record<string, string> | null;
}

/** POST /networks/create */
export interface NetworkCreateRequest {
  Name: string;
  /** Only 'bridge' (the default). */
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: Ipam;
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
  /** Ignored, as dockerd >= 1.44 does: a name is always checked. */
  CheckDuplicate?: boolean;
}

export interface NetworkCreateResponse {
  Id: string;
  Warning: string;
}

export interface EndpointIpamConfig {
  IPv4Address?: string;
  IPv6Address?: string;
  LinkLocalIPs?: string[];
}

/** One container on one network: what a request asks for, and what inspect answers. */
export interface EndpointSettings {
  IPAMConfig?: EndpointIpamConfig | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
  NetworkID?: string;
  EndpointID?: string;
  Gateway?: string;
  IPAddress?: string;
  IPPrefixLen?: number;
  IPv6Gateway?: string;
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  DNSNames?: string[] | null;
}

/** POST /containers/create's NetworkingConfig. */
export interface NetworkingConfig {
  EndpointsConfig?: Record<string, EndpointSettings>;
}

/** A container in GET /networks/{id}. */
export interface NetworkContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  /** With its prefix: `172.18.0.2/16`. */
  IPv4Address: string;
  IPv6Address: string;
}

/** GET /networks/{id} (and each item of GET /networks, whose Containers is empty). */
export interface NetworkInspect {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamConfig[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, NetworkContainer>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

/** POST /networks/{id}/connect */
export interface NetworkConnectRequest {
  Container: string;
  EndpointConfig?: EndpointSettings;
}

/** POST /networks/{id}/disconnect */
export interface NetworkDisconnectRequest {
  Container: string;
  Force?: boolean;
}

/** POST /networks/prune */
export interface NetworkPruneResponse {
  NetworksDeleted: string[] | null;
}

/** A container's NetworkSettings in GET /containers/{id}/json. */
export interface NetworkSettings {
  Bridge: string;
  SandboxID: string;
  SandboxKey: string;
  HairpinMode: boolean;
  LinkLocalIPv6Address: string;
  LinkLocalIPv6PrefixLen: number;
  /** Published ports (the nat piece fills them); `{}` until then. */
  Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
  SecondaryIPAddresses: null;
  SecondaryIPv6Addresses: null;
  /** The default bridge's endpoint, as docker's deprecated top-level fields; '' on other networks. */
  EndpointID: string;
  Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  MacAddress: string;
  Networks: Record<string, EndpointSettings>;
}
