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
      // `all` always said: the engine reads a 1.41 request without it as dockerd does (every
      // unused volume), and this client means docker's current default, anonymous ones only.
      const filters = { all: ['false'], ...opts.filters };
      return t.call('POST', '/volumes/prune', { query: [['filters', filterQuery(filters)]] });
    },
  };
}
