/** The volume half of the EngineApi over the volume manager. */
import type { VolumeApi } from '../../engine-api/volume/api';
import type { VolumeManager } from './manager';

export function volumeApi(volumes: VolumeManager): VolumeApi {
  return {
    createVolume: (opts) => volumes.create(opts),
    listVolumes: async (opts = {}) => ({ Volumes: volumes.list(opts.filters), Warnings: [] }),
    inspectVolume: async (name) => volumes.inspect(name),
    removeVolume: (name, opts = {}) => volumes.remove(name, opts.force === true),
    pruneVolumes: (opts = {}) => volumes.prune(opts.filters),
  };
}
