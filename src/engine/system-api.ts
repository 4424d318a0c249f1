/** The system part of the Engine API: what `GET /version` reports about this engine. */
import os from 'node:os';
import type { SystemApi } from '../engine-api/system/api';
import type { VersionResponse } from '../engine-api/system/types';
import { API_VERSION, MIN_API_VERSION } from '../engine-api/version';

export function systemApi(opts: { version: string; buildId: string }): Pick<SystemApi, 'version'> {
  const version: VersionResponse = {
    Version: opts.version,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    Os: 'linux',
    Arch: os.arch() === 'x64' ? 'amd64' : os.arch(),
    KernelVersion: os.release(),
    BuildId: opts.buildId,
  };
  return { version: async () => version };
}
