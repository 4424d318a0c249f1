/** The volume wire types, Docker Engine API v1.41 field names and shapes. */

/** GET /volumes/{name} */
export interface Volume {
  Name: string;
  Driver: string;
  /** Where the volume's data is on the host (`<root>/volumes/<name>/_data`). */
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local';
  /** The driver options it was created with (`type`, `o`, `device`); null when none. */
  Options: Record<string, string> | null;
}

/** POST /volumes/create */
export interface VolumeCreateOptions {
  /** A generated one (64 hex digits) when empty. */
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

/** GET /volumes */
export interface VolumeListResponse {
  Volumes: Volume[];
  Warnings: string[];
}

/** POST /volumes/prune */
export interface VolumesPruneResponse {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}
