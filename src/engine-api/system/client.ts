/** SystemApi over HTTP: `GET /version`. */
import type { Transport } from '../transport';
import type { SystemApi } from './api';
import type { VersionResponse } from './types';

export function systemClient(t: Transport): SystemApi {
  return {
    version(signal?: AbortSignal): Promise<VersionResponse> {
      return t.call('GET', '/version', { signal });
    },
  };
}
