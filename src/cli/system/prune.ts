/**
 * `system prune` as docker's CLI runs it: the prunes one after the other (stopped containers,
 * unused networks, with --volumes unused volumes, dangling or with -a unused images, the build
 * cache), each printing what it deleted, then the space reclaimed in total.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import { humanSize } from '../format/go-format';

export interface SystemPruneOptions {
  all?: boolean;
  volumes?: boolean;
  filters?: Record<string, string[]>;
}

/** docker's confirmation text for these options. */
export function pruneWarning(o: SystemPruneOptions): string {
  const items = [
    'all stopped containers',
    'all networks not used by at least one container',
    ...(o.volumes ? ['all anonymous volumes not used by at least one container'] : []),
    o.all ? 'all images without at least one container associated to them' : 'all dangling images',
    o.all ? 'all build cache' : 'unused build cache',
  ];
  const filters = Object.entries(o.filters ?? {}).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));
  return [
    'WARNING! This will remove:',
    ...items.map((i) => `  - ${i}`),
    ...(filters.length
      ? ['', '  Items to be pruned will be filtered with:', ...filters.map((f) => `  - ${f}`)]
      : []),
    '',
  ].join('\n');
}

/** Runs the prunes, writing each report as it comes; returns the bytes reclaimed. */
export async function systemPrune(
  engine: EngineApi,
  o: SystemPruneOptions,
  write: (text: string) => void,
): Promise<number> {
  const filters = o.filters ?? {};
  const only = (...keys: string[]) =>
    Object.fromEntries(Object.entries(filters).filter(([k]) => keys.includes(k)));
  let reclaimed = 0;
  const containers = await engine.pruneContainers(filters);
  reclaimed += containers.SpaceReclaimed;
  if (containers.ContainersDeleted?.length)
    write(`Deleted Containers:\n${containers.ContainersDeleted.map((id) => `${id}\n`).join('')}\n`);
  const networks = await engine.pruneNetworks({ filters: only('label', 'until') });
  if (networks.NetworksDeleted?.length)
    write(`Deleted Networks:\n${networks.NetworksDeleted.map((n) => `${n}\n`).join('')}\n`);
  if (o.volumes) {
    const volumes = await engine.pruneVolumes({ filters: only('label', 'label!') });
    reclaimed += volumes.SpaceReclaimed;
    if (volumes.VolumesDeleted?.length)
      write(`Deleted Volumes:\n${volumes.VolumesDeleted.map((v) => `${v}\n`).join('')}\n`);
  }
  const images = await engine.pruneImages({ all: o.all, filters });
  reclaimed += images.SpaceReclaimed;
  if (images.ImagesDeleted?.length) {
    const lines = images.ImagesDeleted.map((d) =>
      d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`,
    );
    write(`Deleted Images:\n${lines.join('')}\n`);
  }
  reclaimed += (await engine.pruneBuildCache()).SpaceReclaimed;
  write(`Total reclaimed space: ${humanSize(reclaimed, 4)}\n`);
  return reclaimed;
}
