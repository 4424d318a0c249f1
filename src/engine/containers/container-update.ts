/**
 * `docker update`: a container's new resources and restart policy, merged into its host config
 * with dockerd's rules (container.UpdateContainer): a zero or absent value leaves the old one, a
 * CPU quota and `--cpus` never mix across updates, memory may not outgrow a swap limit set
 * before unless the swap changes too, and a container removed at its exit keeps its policy.
 */
import { ConflictError } from '../../common/errors';
import {
  UPDATE_NUMBER_KEYS,
  UPDATE_STRING_KEYS,
  type ContainerUpdateBody,
  type HostConfig,
} from '../../engine-api/container/types';
import type { CgroupLimits } from '../runtime/spec';
import { cgroupLimits } from './limits';

/** The host config after the update, and the cgroup limits to write now (undefined: none changed). */
export function updatedHostConfig(
  id: string,
  hc: HostConfig,
  u: ContainerUpdateBody,
): { hostConfig: HostConfig; limits: CgroupLimits; live?: CgroupLimits } {
  const cannot = (message: string) => new ConflictError(`Cannot update container ${id}: ${message}`);
  if (u.NanoCpus && hc.CpuPeriod)
    throw cannot('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
  if (u.NanoCpus && hc.CpuQuota)
    throw cannot('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  if (u.CpuPeriod && hc.NanoCpus)
    throw cannot('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (u.CpuQuota && hc.NanoCpus)
    throw cannot('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  // dockerd compares with the swap limit it recorded; ours records none when none was asked for
  if (u.Memory && !u.MemorySwap && (hc.MemorySwap ?? 0) > 0 && u.Memory > (hc.MemorySwap ?? 0))
    throw cannot(
      'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    );
  const out: HostConfig = { ...hc };
  const changed: (keyof ContainerUpdateBody)[] = [];
  for (const key of [...UPDATE_NUMBER_KEYS, ...UPDATE_STRING_KEYS]) {
    const v = u[key];
    if (key === 'PidsLimit' ? v === undefined : !v) continue;
    (out as Record<string, unknown>)[key] = v;
    changed.push(key);
  }
  if (u.RestartPolicy && u.RestartPolicy.Name !== '') {
    if (hc.AutoRemove && u.RestartPolicy.Name !== 'no')
      throw cannot('Restart policy cannot be updated because AutoRemove is enabled for the container');
    out.RestartPolicy = u.RestartPolicy;
  }
  const limits = cgroupLimits(out);
  if (!changed.length) return { hostConfig: out, limits };
  // No limit any more is written as such: `pids.max` back to max.
  const live = { ...limits };
  if (u.PidsLimit !== undefined && u.PidsLimit <= 0) live.pidsLimit = 0;
  return { hostConfig: out, limits, live };
}
