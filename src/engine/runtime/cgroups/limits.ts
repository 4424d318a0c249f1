/** CgroupLimits → control-file values, one table per cgroup version. */
import type { CgroupLimits } from '../spec';

export const DEFAULT_CPU_PERIOD_US = 100_000;

/** cpu.shares (2..262144, default 1024) → cpu.weight (1..10000, default 100), as runc and crun map it. */
export function sharesToWeight(shares: number): number {
  if (shares <= 0) return 100;
  const s = Math.min(Math.max(shares, 2), 262144);
  return Math.floor(1 + ((s - 2) * 9999) / 262142);
}

/** [file, value] pairs in the order they must be written. */
export function v1Files(controller: string, l: CgroupLimits): [string, string][] {
  const out: [string, string][] = [];
  switch (controller) {
    case 'memory': {
      if (l.memoryBytes !== undefined && l.memoryBytes > 0)
        out.push(['memory.limit_in_bytes', String(l.memoryBytes)]);
      // memory + swap as the spec says: docker's default (as much again) is the daemon's to decide
      const swap = l.memorySwapBytes;
      if (swap !== undefined && (l.memoryBytes ?? 0) > 0)
        out.push(['memory.memsw.limit_in_bytes', String(swap)]);
      if (l.memoryReservationBytes !== undefined && l.memoryReservationBytes > 0)
        out.push(['memory.soft_limit_in_bytes', String(l.memoryReservationBytes)]);
      break;
    }
    case 'cpu':
      if (l.cpuQuotaUs !== undefined && l.cpuQuotaUs > 0) {
        out.push(['cpu.cfs_period_us', String(l.cpuPeriodUs ?? DEFAULT_CPU_PERIOD_US)]);
        out.push(['cpu.cfs_quota_us', String(l.cpuQuotaUs)]);
      } else if (l.cpuPeriodUs !== undefined) out.push(['cpu.cfs_period_us', String(l.cpuPeriodUs)]);
      if (l.cpuShares !== undefined && l.cpuShares > 0) out.push(['cpu.shares', String(l.cpuShares)]);
      break;
    case 'cpuset':
      if (l.cpusetCpus) out.push(['cpuset.cpus', l.cpusetCpus]);
      if (l.cpusetMems) out.push(['cpuset.mems', l.cpusetMems]);
      break;
    case 'pids':
      if (l.pidsLimit !== undefined) out.push(['pids.max', l.pidsLimit > 0 ? String(l.pidsLimit) : 'max']);
      break;
  }
  return out;
}

/** Controller → [file, value] pairs for cgroup v2. */
export function v2Files(l: CgroupLimits): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  const add = (controller: string, file: string, value: string) => {
    if (!out.has(controller)) out.set(controller, []);
    out.get(controller)!.push([file, value]);
  };
  if (l.memoryBytes !== undefined && l.memoryBytes > 0) {
    add('memory', 'memory.max', String(l.memoryBytes));
    const swap = l.memorySwapBytes;
    // v2 limits swap alone; memswap is memory + swap.
    if (swap !== undefined)
      add('memory', 'memory.swap.max', swap < 0 ? 'max' : String(Math.max(swap - l.memoryBytes, 0)));
  }
  if (l.memoryReservationBytes !== undefined && l.memoryReservationBytes > 0)
    add('memory', 'memory.low', String(l.memoryReservationBytes));
  if (l.cpuQuotaUs !== undefined && l.cpuQuotaUs > 0)
    add('cpu', 'cpu.max', `${l.cpuQuotaUs} ${l.cpuPeriodUs ?? DEFAULT_CPU_PERIOD_US}`);
  else if (l.cpuPeriodUs !== undefined) add('cpu', 'cpu.max', `max ${l.cpuPeriodUs}`);
  if (l.cpuShares !== undefined && l.cpuShares > 0)
    add('cpu', 'cpu.weight', String(sharesToWeight(l.cpuShares)));
  if (l.cpusetCpus) add('cpuset', 'cpuset.cpus', l.cpusetCpus);
  if (l.cpusetMems) add('cpuset', 'cpuset.mems', l.cpusetMems);
  if (l.pidsLimit !== undefined) add('pids', 'pids.max', l.pidsLimit > 0 ? String(l.pidsLimit) : 'max');
  return out;
}
