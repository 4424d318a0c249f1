/** The NetworkApi of the contract over the network manager (what the engine spreads into its API). */
import type { NetworkApi } from '../../engine-api/network/api';
import type { NetworkManager } from './manager';

export function networkApi(networks: NetworkManager): NetworkApi {
  return {
    listNetworks: async (o) => networks.list(o),
    inspectNetwork: async (ref) => networks.inspect(ref),
    createNetwork: (body) => networks.create(body),
    removeNetwork: (ref) => networks.remove(ref),
    connectNetwork: (ref, body) => networks.connect(ref, body),
    disconnectNetwork: (ref, body) => networks.disconnect(ref, body),
    pruneNetworks: (o) => networks.prune(o?.filters),
  };
}
