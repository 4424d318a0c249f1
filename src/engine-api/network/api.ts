/** The engine's networks, as Docker's Engine API has them (`/networks`). */
import type {
  NetworkConnectRequest,
  NetworkCreateRequest,
  NetworkCreateResponse,
  NetworkDisconnectRequest,
  NetworkInspect,
  NetworkPruneResponse,
} from './types';

export interface ListNetworksOptions {
  /** Docker's filters: name, id, label (`k` or `k=v`), driver, type (custom|builtin), dangling. */
  filters?: Record<string, string[]>;
}

export interface NetworkApi {
  listNetworks(opts?: ListNetworksOptions): Promise<NetworkInspect[]>;
  /** By full id, unique id prefix or name. */
  inspectNetwork(ref: string): Promise<NetworkInspect>;
  createNetwork(body: NetworkCreateRequest): Promise<NetworkCreateResponse>;
  removeNetwork(ref: string): Promise<void>;
  connectNetwork(ref: string, body: NetworkConnectRequest): Promise<void>;
  disconnectNetwork(ref: string, body: NetworkDisconnectRequest): Promise<void>;
  pruneNetworks(opts?: { filters?: Record<string, string[]> }): Promise<NetworkPruneResponse>;
}
