/** NetworkApi over HTTP, on Docker's paths (`/networks/...`). */
import { enc, type Query, type Transport } from '../transport';
import type { ListNetworksOptions, NetworkApi } from './api';
import type {
  NetworkConnectRequest,
  NetworkCreateRequest,
  NetworkCreateResponse,
  NetworkDisconnectRequest,
  NetworkInspect,
  NetworkPruneResponse,
} from './types';

function filterQuery(filters?: Record<string, string[]>): Query {
  return [['filters', filters && Object.keys(filters).length ? JSON.stringify(filters) : undefined]];
}

export function networkClient(t: Transport): NetworkApi {
  return {
    listNetworks: (o: ListNetworksOptions = {}) =>
      t.call<NetworkInspect[]>('GET', '/networks', { query: filterQuery(o.filters) }),
    inspectNetwork: (ref) => t.call<NetworkInspect>('GET', `/networks/${enc(ref)}`),
    createNetwork: (body: NetworkCreateRequest) =>
      t.call<NetworkCreateResponse>('POST', '/networks/create', { body }),
    removeNetwork: (ref) => t.call<void>('DELETE', `/networks/${enc(ref)}`),
    connectNetwork: (ref, body: NetworkConnectRequest) =>
      t.call<void>('POST', `/networks/${enc(ref)}/connect`, { body }),
    disconnectNetwork: (ref, body: NetworkDisconnectRequest) =>
      t.call<void>('POST', `/networks/${enc(ref)}/disconnect`, { body }),
    pruneNetworks: (o = {}) =>
      t.call<NetworkPruneResponse>('POST', '/networks/prune', { query: filterQuery(o.filters) }),
  };
}
