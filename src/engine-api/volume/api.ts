/** The volumes of the Engine API: create, list, inspect, remove and prune, as docker's. */
import type { Volume, VolumeCreateOptions, VolumeListResponse, VolumesPruneResponse } from './types';

export interface VolumeApi {
  /** An existing volume of that name is answered as it is, as docker does. */
  createVolume(opts: VolumeCreateOptions): Promise<Volume>;
  /** Filters: `dangling` (true|false), `label` (`k` or `k=v`), `name` (a substring), `driver`. */
  listVolumes(opts?: { filters?: Record<string, string[]> }): Promise<VolumeListResponse>;
  inspectVolume(name: string): Promise<Volume>;
  /** Refused while a container uses it; `force` only quiets an unknown name. */
  removeVolume(name: string, opts?: { force?: boolean }): Promise<void>;
  /**
   * Unused volumes go: anonymous ones only, unless the filter `all` is true. Filters: `all`,
   * `label` / `label!`.
   */
  pruneVolumes(opts?: { filters?: Record<string, string[]> }): Promise<VolumesPruneResponse>;
}
