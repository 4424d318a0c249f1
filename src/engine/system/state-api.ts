/**
 * The system half of the EngineApi beyond `/version`: `info`, `system df` and the prunes only
 * `system prune` needs beyond the resources' own (the build cache), over their adapters.
 */
import type { ContainerApi } from '../../engine-api/container/api';
import type { ImageApi } from '../../engine-api/image/api';
import type { SystemApi } from '../../engine-api/system/api';
import type { VolumeApi } from '../../engine-api/volume/api';
import type { EngineConfig } from '../engine-config';
import type { ImageStore } from '../images/store';
import { diskUsage } from './disk-usage';
import { engineId } from './engine-id';
import { systemInfo } from './info';

export interface SystemStateSources {
  root: string;
  containersDir: string;
  version: string;
  config: EngineConfig;
  logDriver: string;
  store: ImageStore;
  images: ImageApi;
  containers: ContainerApi;
  volumes: VolumeApi;
  /** Volume name → the containers that mount it. */
  volumeUsers(): Map<string, string[]>;
}

export function systemStateApi(s: SystemStateSources): Omit<SystemApi, 'version'> {
  let id: string | undefined;
  return {
    info: async () => {
      id ??= engineId(s.root);
      const containers = await s.containers.listContainers({ all: true });
      const imageCount = Object.keys(s.store.images()).length;
      return systemInfo({
        id,
        root: s.root,
        version: s.version,
        config: s.config,
        containers,
        imageCount,
        logDriver: s.logDriver,
      });
    },
    diskUsage: () =>
      diskUsage({
        images: s.store,
        listImages: () => s.images.listImages(),
        listContainers: () => s.containers.listContainers({ all: true }),
        listVolumes: async () => (await s.volumes.listVolumes()).Volumes,
        volumeUsers: s.volumeUsers,
        containersDir: s.containersDir,
      }),
    pruneBuildCache: async () => ({ CachesDeleted: null, SpaceReclaimed: 0 }),
  };
}
