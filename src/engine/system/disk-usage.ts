/**
 * `GET /system/df` as dockerd answers it: images with the containers using each and the bytes
 * they share with other images, the layers' total once, containers with their writable layer,
 * volumes with their size and users. The engine has no build cache.
 */
import path from 'node:path';
import type { ContainerSummary } from '../../engine-api/container/types';
import type { ImageSummary } from '../../engine-api/image/api';
import type { DiskUsage } from '../../engine-api/system/types';
import type { Volume } from '../../engine-api/volume/types';
import type { ImageStore } from '../images/store';
import { dirSize } from './dir-size';

export interface DiskUsageSources {
  images: ImageStore;
  listImages(): Promise<ImageSummary[]>;
  listContainers(): Promise<ContainerSummary[]>;
  listVolumes(): Promise<Volume[]>;
  volumeUsers(): Map<string, string[]>;
  containersDir: string;
}

const containerSizeRw = (containersDir: string, id: string): number =>
  dirSize(path.join(containersDir, id, 'upper'));

export async function diskUsage(s: DiskUsageSources): Promise<DiskUsage> {
  const images = await s.listImages();
  const containers = await s.listContainers();
  const layersOf = new Map<string, string[]>();
  const layerUsers = new Map<string, number>();
  for (const img of images) {
    const diffIds = [...new Set(s.images.readConfig(img.Id).rootfs.diff_ids)];
    layersOf.set(img.Id, diffIds);
    for (const d of diffIds) layerUsers.set(d, (layerUsers.get(d) ?? 0) + 1);
  }
  const layerSize = (d: string): number => s.images.layers.record(d)?.size ?? 0;
  const sizeOfImage = new Map(images.map((i) => [i.Id, i.Size]));
  return {
    LayersSize: [...layerUsers.keys()].reduce((n, d) => n + layerSize(d), 0),
    Images: images.map((img) => ({
      ...img,
      Containers: containers.filter((c) => c.ImageID === img.Id).length,
      SharedSize: (layersOf.get(img.Id) ?? [])
        .filter((d) => (layerUsers.get(d) ?? 0) > 1)
        .reduce((n, d) => n + layerSize(d), 0),
    })),
    Containers: containers.map((c) => {
      const rw = containerSizeRw(s.containersDir, c.Id);
      return { ...c, SizeRw: rw, SizeRootFs: rw + (sizeOfImage.get(c.ImageID) ?? 0) };
    }),
    Volumes: (await s.listVolumes()).map((v) => ({
      ...v,
      UsageData: { Size: dirSize(v.Mountpoint), RefCount: s.volumeUsers().get(v.Name)?.length ?? 0 },
    })),
    BuildCache: null,
    BuilderSize: 0,
  };
}
