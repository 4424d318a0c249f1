/**
 * The NetworkApi over the daemon's socket, on Docker's paths: the HTTP client's network methods
 * (EngineClient delegates here with its `call`), in a file of its own so it moves with the contract.
 */
import type { ListNetworksOptions, NetworkApi } from './api';
import type {
  NetworkConnectRequest,
  NetworkCreateRequest,
  NetworkCreateResponse,
  NetworkDisconnectRequest,
  NetworkInspect,
  NetworkPruneResponse,
} from './types';

/** The client's one request: method, path, JSON body, query. */
export type Call = <T>(
  method: string,
  path: string,
  opts?: { body?: unknown; query?: [string, string | undefined][] },
) => Promise<T>;

const enc = (ref: string): string => encodeURIComponent(ref);

function filterQuery(filters?: Record<string, string[]>): [string, string | undefined][] {
  return [['filters', filters && Object.keys(filters).length ? JSON.stringify(filters) : undefined]];
}

export function networkClient(call: Call): NetworkApi {
  return {
    listNetworks: (o: ListNetworksOptions = {}) =>
      call<NetworkInspect[]>('GET', '/networks', { query: filterQuery(o.filters) }),
    inspectNetwork: (ref) => call<NetworkInspect>('GET', `/networks/${enc(ref)}`),
    createNetwork: (body: NetworkCreateRequest) =>
      call<NetworkCreateResponse>('POST', '/networks/create', { body }),
    removeNetwork: (ref) => call<void>('DELETE', `/networks/${enc(ref)}`),
    connectNetwork: (ref, body: NetworkConnectRequest) =>
      call<void>('POST', `/networks/${enc(ref)}/connect`, { body }),
    disconnectNetwork: (ref, body: NetworkDisconnectRequest) =>
      call<void>('POST', `/networks/${enc(ref)}/disconnect`, { body }),
    pruneNetworks: (o = {}) =>
      call<NetworkPruneResponse>('POST', '/networks/prune', { query: filterQuery(o.filters) }),
  };
}
