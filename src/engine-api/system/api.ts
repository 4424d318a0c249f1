/** The engine itself: its version (and the build id the CLI uses to replace a stale daemon). */
import type { VersionResponse } from './types';

export interface SystemApi {
  /** `signal` bounds a probe (the CLI's connect). */
  version(signal?: AbortSignal): Promise<VersionResponse>;
}
