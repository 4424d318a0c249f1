/**
 * Resource limits: the cgroup values and the rlimits, checked with the docker daemon's rules and
 * messages (verifyPlatformContainerResources, adaptContainerSettings, units.ParseUlimit).
 */
import fs from 'node:fs';
import os from 'node:os';
import { InvalidArgumentError } from '../../common/errors';
import type { HostConfig, Ulimit } from '../../engine-api/container/types';
import type { CgroupLimits, Rlimit } from '../runtime/spec';

const MIN_MEMORY = 6 * 1024 * 1024;
const CPU_PERIOD_US = 100_000;

/** docker's ulimit names (go-units ulimitNameMapping). */
const ULIMITS = new Set([
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
]);

const bad = (message: string) => new InvalidArgumentError(message);

function memoryLimits(hc: HostConfig, out: CgroupLimits): void {
  const memory = hc.Memory ?? 0;
  const swap = hc.MemorySwap ?? 0;
  const reservation = hc.MemoryReservation ?? 0;
  if (memory < 0) throw bad('invalid memory limit: must not be negative');
  if (memory > 0 && memory < MIN_MEMORY) throw bad('Minimum memory limit allowed is 6MB');
  const total = os.totalmem();
  if (memory > total) {
    throw bad(`Memory limit ${memory} is larger than the host's total memory (${total} bytes)`);
  }
  if (swap < -1) throw bad(`invalid memory swap limit ${swap}: -1 (unlimited) is the only negative value`);
  if (memory > 0 && swap > 0 && swap < memory) {
    throw bad('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (memory === 0 && swap > 0) {
    throw bad('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (reservation > 0 && reservation < MIN_MEMORY) throw bad('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > memory) {
    throw bad('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (memory > 0) {
    out.memoryBytes = memory;
    // docker's default: as much swap as memory, so memory+swap is twice the limit.
    out.memorySwapBytes = swap === 0 ? memory * 2 : swap;
  } else if (swap === -1) out.memorySwapBytes = -1;
  if (reservation > 0) out.memoryReservationBytes = reservation;
}

const CPUSET = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;
/** Where the kernel lists the CPUs and memory nodes that are online, as docker's sysinfo reads them. */
const ONLINE = { cpus: '/sys/devices/system/cpu/online', mems: '/sys/devices/system/node/online' };

/** `0-3,5` → its numbers; undefined past a bound no host reaches (a list like 0-4294967295). */
function cpusetMembers(list: string): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of list.split(',')) {
    const [lo, hi = lo] = part.split('-').map(Number);
    if (hi < lo || hi > 8192) return undefined;
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return out;
}

function onlineSet(what: 'cpus' | 'mems'): string {
  try {
    return fs.readFileSync(ONLINE[what], 'utf8').trim();
  } catch {
    // Without the file (no NUMA in the kernel): docker's fallback, every CPU and node 0.
    return what === 'cpus' ? `0-${os.cpus().length - 1}` : '0';
  }
}

function checkCpuset(value: string, what: 'cpus' | 'mems'): void {
  if (!CPUSET.test(value)) throw bad(`Invalid value ${value} for cpuset ${what}`);
  const requested = cpusetMembers(value);
  if (!requested) throw bad(`Invalid value ${value} for cpuset ${what}`);
  const available = onlineSet(what);
  const have = cpusetMembers(available) ?? new Set<number>();
  if ([...requested].some((n) => !have.has(n))) {
    const noun = what === 'cpus' ? 'CPUs' : 'memory nodes';
    throw bad(`Requested ${noun} are not available - requested ${value}, available: ${available}`);
  }
}

function cpuLimits(hc: HostConfig, out: CgroupLimits): void {
  const nano = hc.NanoCpus ?? 0;
  const quota = hc.CpuQuota ?? 0;
  const period = hc.CpuPeriod ?? 0;
  if (nano > 0 && period > 0) throw bad('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && quota > 0) throw bad('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  const cpus = os.cpus().length;
  if (nano < 0 || nano > cpus * 1e9) {
    throw bad(`Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
  }
  if (period !== 0 && (period < 1000 || period > 1_000_000)) {
    throw bad('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (quota > 0 && quota < 1000) throw bad('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (nano > 0) {
    out.cpuPeriodUs = CPU_PERIOD_US;
    out.cpuQuotaUs = Math.round((nano * CPU_PERIOD_US) / 1e9);
  } else {
    if (period > 0) out.cpuPeriodUs = period;
    if (quota > 0) out.cpuQuotaUs = quota;
  }
  if (hc.CpuShares !== undefined && hc.CpuShares < 0) throw bad('invalid CPU shares: must not be negative');
  if (hc.CpuShares) out.cpuShares = hc.CpuShares;
  for (const [value, what, key] of [
    [hc.CpusetCpus, 'cpus', 'cpusetCpus'],
    [hc.CpusetMems, 'mems', 'cpusetMems'],
  ] as const) {
    if (!value) continue;
    checkCpuset(value, what);
    out[key] = value;
  }
}

export function cgroupLimits(hc: HostConfig): CgroupLimits {
  const out: CgroupLimits = {};
  memoryLimits(hc, out);
  cpuLimits(hc, out);
  // docker: 0 and every negative value mean no limit.
  if (hc.PidsLimit !== undefined && hc.PidsLimit > 0) out.pidsLimit = hc.PidsLimit;
  return out;
}

/** -1 is RLIM_INFINITY, larger than any number. */
const asLimit = (n: number) => (n < 0 ? Infinity : n);

export function rlimits(ulimits: readonly Ulimit[] = []): Rlimit[] {
  const byName = new Map<string, Rlimit>();
  for (const u of ulimits) {
    const name = u.Name?.toLowerCase();
    if (!ULIMITS.has(name)) throw bad(`invalid ulimit type: ${u.Name}`);
    if (!Number.isInteger(u.Soft) || !Number.isInteger(u.Hard)) {
      throw bad(`invalid ulimit ${u.Name}: soft and hard limits must be integers`);
    }
    if (asLimit(u.Soft) > asLimit(u.Hard)) {
      throw bad(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    }
    byName.set(name, { type: name, soft: u.Soft, hard: u.Hard });
  }
  return [...byName.values()];
}
