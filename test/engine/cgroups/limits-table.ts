/**
 * One table of limits for every cgroup version: the input and what must be read back from the
 * control files. `null` = the file must not have been written; PARENT = copied from the parent.
 */
import type { CgroupLimits } from '../../../src/engine/runtime/spec';

export const PARENT = Symbol('parent');
export type Expected = Record<string, string | null | typeof PARENT>;

export interface LimitCase {
  name: string;
  limits: CgroupLimits;
  v1: Expected;
  v2: Expected;
}

const MiB = 1024 * 1024;

export const LIMIT_CASES: LimitCase[] = [
  {
    name: 'mem_limit with the swap the daemon defaults to (as much again, as Docker)',
    limits: { memoryBytes: 64 * MiB, memorySwapBytes: 128 * MiB },
    v1: { 'memory.limit_in_bytes': String(64 * MiB), 'memory.memsw.limit_in_bytes': String(128 * MiB) },
    v2: { 'memory.max': String(64 * MiB), 'memory.swap.max': String(64 * MiB) },
  },
  {
    name: 'mem_limit + memswap_limit',
    limits: { memoryBytes: 64 * MiB, memorySwapBytes: 96 * MiB },
    v1: { 'memory.limit_in_bytes': String(64 * MiB), 'memory.memsw.limit_in_bytes': String(96 * MiB) },
    v2: { 'memory.max': String(64 * MiB), 'memory.swap.max': String(32 * MiB) },
  },
  {
    name: 'memswap_limit equal to mem_limit: no swap',
    limits: { memoryBytes: 32 * MiB, memorySwapBytes: 32 * MiB },
    v1: { 'memory.limit_in_bytes': String(32 * MiB), 'memory.memsw.limit_in_bytes': String(32 * MiB) },
    v2: { 'memory.max': String(32 * MiB), 'memory.swap.max': '0' },
  },
  {
    name: 'memswap_limit -1: unlimited swap',
    limits: { memoryBytes: 32 * MiB, memorySwapBytes: -1 },
    v1: { 'memory.limit_in_bytes': String(32 * MiB), 'memory.memsw.limit_in_bytes': '9223372036854771712' },
    v2: { 'memory.max': String(32 * MiB), 'memory.swap.max': 'max' },
  },
  {
    name: 'mem_reservation',
    limits: { memoryReservationBytes: 16 * MiB },
    v1: { 'memory.soft_limit_in_bytes': String(16 * MiB), 'memory.limit_in_bytes': '9223372036854771712' },
    v2: { 'memory.low': String(16 * MiB), 'memory.max': null },
  },
  {
    name: 'cpus 1.5',
    limits: { cpuQuotaUs: 150_000, cpuPeriodUs: 100_000 },
    v1: { 'cpu.cfs_quota_us': '150000', 'cpu.cfs_period_us': '100000' },
    v2: { 'cpu.max': '150000 100000' },
  },
  {
    name: 'cpu quota with the default period',
    limits: { cpuQuotaUs: 50_000 },
    v1: { 'cpu.cfs_quota_us': '50000', 'cpu.cfs_period_us': '100000' },
    v2: { 'cpu.max': '50000 100000' },
  },
  {
    name: 'cpu_shares',
    limits: { cpuShares: 512 },
    v1: { 'cpu.shares': '512', 'cpu.cfs_quota_us': '-1' },
    v2: { 'cpu.weight': '20', 'cpu.max': null },
  },
  {
    name: 'cpuset',
    limits: { cpusetCpus: '1', cpusetMems: '0' },
    v1: { 'cpuset.cpus': '1', 'cpuset.mems': '0' },
    v2: { 'cpuset.cpus': '1', 'cpuset.mems': '0' },
  },
  {
    name: 'no cpuset: inherited',
    limits: {},
    v1: { 'cpuset.cpus': PARENT, 'cpuset.mems': PARENT },
    v2: { 'cpuset.cpus': null, 'cpuset.mems': null },
  },
  {
    name: 'pids_limit',
    limits: { pidsLimit: 5 },
    v1: { 'pids.max': '5' },
    v2: { 'pids.max': '5' },
  },
  {
    name: 'pids_limit -1: unlimited',
    limits: { pidsLimit: -1 },
    v1: { 'pids.max': 'max' },
    v2: { 'pids.max': 'max' },
  },
  {
    name: 'everything at once',
    limits: {
      memoryBytes: 48 * MiB,
      cpuQuotaUs: 25_000,
      cpuPeriodUs: 50_000,
      cpuShares: 2048,
      pidsLimit: 100,
    },
    v1: {
      'memory.limit_in_bytes': String(48 * MiB),
      'cpu.cfs_quota_us': '25000',
      'cpu.cfs_period_us': '50000',
      'cpu.shares': '2048',
      'pids.max': '100',
    },
    v2: { 'memory.max': String(48 * MiB), 'cpu.max': '25000 50000', 'cpu.weight': '79', 'pids.max': '100' },
  },
];
