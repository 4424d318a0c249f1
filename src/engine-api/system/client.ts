/** SystemApi over HTTP: `GET /version`, `/info`, `/system/df`, and the prunes of `system prune`. */
import type { Transport } from '../transport';
import type { SystemApi } from './api';
import type { BuildCachePruneResponse, DiskUsage, SystemInfo, VersionResponse } from './types';

export function systemClient(t: Transport): SystemApi {
  return {
    version(signal?: AbortSignal): Promise<VersionResponse> {
      return t.call('GET', '/version', { signal });
    },
    info(): Promise<SystemInfo> {
      return t.call('GET', '/info');
    },
    diskUsage(): Promise<DiskUsage> {
      return t.call('GET', '/system/df');
    },
    pruneBuildCache(): Promise<BuildCachePruneResponse> {
      return t.call('POST', '/build/prune');
    },
  };
}
