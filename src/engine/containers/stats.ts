/**
 * `docker stats` samples of a container: its cgroup's numbers, the host's CPU time and the
 * interfaces of its network namespace, one sample a second as dockerd's collector takes them,
 * each carrying the previous one's CPU numbers.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerStats, CpuStats, StatsOptions } from '../../engine-api/container/stats-types';
import { formatTimeNs, nowNs } from '../logs/json-file';
import type { RunningContainer } from '../runtime/start';
import { netDevOf, systemCpuNs } from './host-stats';
import { ZERO_TIME, type ContainerRecord } from './record';

export interface StatsTarget {
  /** undefined once the container is removed. */
  record?: ContainerRecord;
  /** undefined while it does not run. */
  running?: RunningContainer;
}

const INTERVAL_MS = 1000;

const zeroCpu = (): CpuStats => ({
  cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
});

/** What dockerd answers for a container that does not run: its name and id, every number zero. */
export function zeroStats(record: ContainerRecord): ContainerStats {
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: {},
    blkio_stats: {
      io_service_bytes_recursive: null,
      io_serviced_recursive: null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: zeroCpu(),
    precpu_stats: zeroCpu(),
    memory_stats: {},
    name: `/${record.name}`,
    id: record.id,
  };
}

export function sampleStats(record: ContainerRecord, running: RunningContainer): ContainerStats {
  const u = running.cgroup.usage();
  // Without a limit (or above what the host has) docker reports the host's memory.
  const machine = os.totalmem();
  const limit = u.memory.limit === null || u.memory.limit > machine ? machine : u.memory.limit;
  // A host-network container sees the host's interfaces, which docker does not count as its own.
  const networks = record.hostConfig.NetworkMode === 'host' ? undefined : netDevOf(running.pid);
  const s = zeroStats(record);
  s.read = formatTimeNs(nowNs());
  s.cpu_stats = {
    cpu_usage: {
      total_usage: u.cpu.totalNs,
      ...(u.cpu.perCpuNs?.length ? { percpu_usage: u.cpu.perCpuNs } : {}),
      usage_in_kernelmode: u.cpu.systemNs,
      usage_in_usermode: u.cpu.userNs,
    },
    system_cpu_usage: systemCpuNs(),
    online_cpus: os.cpus().length,
    throttling_data: {
      periods: u.cpu.periods,
      throttled_periods: u.cpu.throttledPeriods,
      throttled_time: u.cpu.throttledNs,
    },
  };
  s.memory_stats = {
    usage: u.memory.usage,
    ...(u.memory.maxUsage === undefined ? {} : { max_usage: u.memory.maxUsage }),
    stats: u.memory.stats,
    ...(u.memory.failcnt === undefined ? {} : { failcnt: u.memory.failcnt }),
    limit,
  };
  s.pids_stats = { current: u.pids.current, ...(u.pids.limit === null ? {} : { limit: u.pids.limit }) };
  s.blkio_stats.io_service_bytes_recursive = u.io.length ? u.io : null;
  if (networks && Object.keys(networks).length) s.networks = networks;
  return s;
}

/** False when the signal aborted the wait. */
async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Streaming: a sample at once, then one a second until the container stops (a last zeroed one
 * says so). Not streaming: one sample, a second after a first one (so precpu_stats is filled, as
 * dockerd primes it), or at once with oneShot.
 */
export async function* statsStream(
  target: () => StatsTarget,
  opts: StatsOptions,
  signal?: AbortSignal,
): AsyncGenerator<ContainerStats> {
  const stream = opts.stream !== false;
  let prev: ContainerStats | undefined;
  for (;;) {
    const { record, running } = target();
    if (!record) return;
    if (!running) {
      yield zeroStats(record);
      return;
    }
    const s = sampleStats(record, running);
    if (prev) {
      s.precpu_stats = prev.cpu_stats;
      s.preread = prev.read;
    }
    const primed = prev !== undefined || opts.oneShot === true;
    prev = s;
    if (stream || primed) {
      yield s;
      if (!stream) return;
    }
    if (signal?.aborted || !(await pause(INTERVAL_MS, signal))) return;
  }
}
