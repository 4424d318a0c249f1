/**
 * The engine itself: its version (and the build id the CLI uses to replace a stale daemon),
 * what it holds (`info`, `system df`) and the prunes `system prune` adds to the resources' own.
 */
import type { BuildCachePruneResponse, DiskUsage, SystemInfo, VersionResponse } from './types';

export interface SystemApi {
  /** `signal` bounds a probe (the CLI's connect). */
  version(signal?: AbortSignal): Promise<VersionResponse>;
  info(): Promise<SystemInfo>;
  diskUsage(): Promise<DiskUsage>;
  /** There is no build cache: always nothing deleted (the docker CLI's `system prune` asks). */
  pruneBuildCache(): Promise<BuildCachePruneResponse>;
}
