/**
 * `POST /containers/prune` as dockerd answers it: every container that is not running (nor
 * paused or restarting) goes, narrowed by `until` (created before) and `label` / `label!`; the
 * space reclaimed is their writable layers. `system prune` calls it first.
 */
import { InvalidArgumentError } from '../../common/errors';
import { hasLabel } from '../../common/label-filter';
import { dockerTimestamp } from '../../common/docker-timestamp';
import type { ContainerApi } from '../../engine-api/container/api';
import type { ContainersPruneResponse } from '../../engine-api/system/types';

const KEYS = new Set(['until', 'label', 'label!']);

export async function pruneContainers(
  containers: Pick<ContainerApi, 'listContainers' | 'removeContainer'>,
  sizeRw: (id: string) => number,
  filters: Record<string, string[]> = {},
): Promise<ContainersPruneResponse> {
  for (const key of Object.keys(filters))
    if (!KEYS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  const until = (filters.until ?? []).map((v) => dockerTimestamp(v) / 1000);
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const c of await containers.listContainers({ all: true })) {
    if (['running', 'paused', 'restarting', 'removing'].includes(c.State)) continue;
    if (!until.every((t) => c.Created < t)) continue;
    if (!(filters.label ?? []).every((l) => hasLabel(c.Labels, l))) continue;
    if ((filters['label!'] ?? []).some((l) => hasLabel(c.Labels, l))) continue;
    const size = sizeRw(c.Id);
    try {
      await containers.removeContainer(c.Id);
    } catch {
      continue; // started or removed meanwhile: dockerd skips it too
    }
    deleted.push(c.Id);
    reclaimed += size;
  }
  return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}
