/** VolumeApi over HTTP: `/volumes/...`. */
import { enc, type Transport } from '../transport';
import type { VolumeApi } from './api';
import type { Volume, VolumeCreateOptions, VolumeListResponse, VolumesPruneResponse } from './types';

const filterQuery = (filters?: Record<string, string[]>): string | undefined =>
  filters && Object.keys(filters).length ? JSON.stringify(filters) : undefined;

export function volumeClient(t: Transport): VolumeApi {
  return {
    createVolume(opts: VolumeCreateOptions): Promise<Volume> {
      return t.call('POST', '/volumes/create', { body: opts });
    },
    listVolumes(opts = {}): Promise<VolumeListResponse> {
      return t.call('GET', '/volumes', { query: [['filters', filterQuery(opts.filters)]] });
    },
    inspectVolume(name: string): Promise<Volume> {
      return t.call('GET', `/volumes/${enc(name)}`);
    },
    removeVolume(name: string, opts = {}): Promise<void> {
      return t.call('DELETE', `/volumes/${enc(name)}`, { query: [['force', opts.force]] });
    },
    pruneVolumes(opts = {}): Promise<VolumesPruneResponse> {
      return t.call('POST', '/volumes/prune', { query: [['filters', filterQuery(opts.filters)]] });
    },
  };
}
