/**
 * The one cgroup interface the runtime codes against; v1 (with or without the hybrid unified
 * hierarchy) and v2 are two implementations of it.
 */
import type { CgroupLimits } from '../spec';

/** 'hybrid' = v1 controllers plus a controller-less cgroup2 (used for cgroup.kill / cgroup.events). */
export type CgroupMode = 'v1' | 'hybrid' | 'v2';

export interface CgroupStats {
  /** Total CPU time used by every task, in nanoseconds. */
  cpuUsageNs: number;
  memoryUsageBytes: number;
  /** null = no limit. */
  memoryLimitBytes: number | null;
  pidsCurrent: number;
}

/** What `docker stats` reports, read from the control files of either cgroup version. */
export interface CgroupUsage {
  cpu: {
    totalNs: number;
    userNs: number;
    systemNs: number;
    /** v1 only (cpuacct.usage_percpu); v2 has no per-CPU numbers. */
    perCpuNs?: number[];
    periods: number;
    throttledPeriods: number;
    throttledNs: number;
  };
  memory: {
    usage: number;
    /** v1 max_usage_in_bytes, v2 memory.peak where the kernel has it. */
    maxUsage?: number;
    failcnt?: number;
    /** null = no limit. */
    limit: number | null;
    /** memory.stat as the kernel names its keys (v1: cache, rss, total_inactive_file…; v2: anon, file…). */
    stats: Record<string, number>;
  };
  pids: { current: number; limit: number | null };
  /** Bytes per device and operation, as docker's io_service_bytes_recursive (v1: Read/Write/…, v2: read/write). */
  io: { major: number; minor: number; op: string; value: number }[];
}

export interface CreateOptions {
  /**
   * v1 only: leave the devices controller open (privileged). By default only Docker's usual
   * character devices may be opened (any device may still be created with mknod).
   */
  allowAllDevices?: boolean;
}

export interface Cgroup {
  /** Path below each hierarchy's root, e.g. '/tscompose-1a2b/3c4d...'. */
  readonly path: string;
  /** The directory of this cgroup in every hierarchy. */
  readonly dirs: readonly string[];
  /** Moves a process (all its threads) into this cgroup in every hierarchy. */
  addProcess(pid: number): void;
  /** Process ids directly in this cgroup. */
  pids(): number[];
  /** True while any process lives in it (v2/hybrid: cgroup.events, counting descendants). */
  isPopulated(): boolean;
  /** Resolves once every task is frozen. */
  freeze(timeoutMs?: number): Promise<void>;
  thaw(): void;
  /** SIGKILLs every process and resolves once the cgroup is empty (throws CgroupError on timeout). */
  killAll(timeoutMs?: number): Promise<void>;
  stats(): CgroupStats;
  /** The detailed numbers `stats` shows (cpu, memory, pids, block I/O). */
  usage(): CgroupUsage;
  /** True when the kernel's OOM killer killed a process of this cgroup (or it is under OOM now). */
  oomKilled(): boolean;
  /** Removes the cgroup in every hierarchy; waits briefly for exiting tasks (EBUSY). Idempotent. */
  destroy(timeoutMs?: number): Promise<void>;
  /** Writes the limits given into the live cgroup (`docker update`); the others stay as they are. */
  setLimits(limits: CgroupLimits): void;
}

export interface CgroupDriver {
  readonly mode: CgroupMode;
  /**
   * Creates `<parent>/<name>` in every hierarchy (parent directories included) and writes the
   * limits. Throws CgroupError when it already exists or a limit cannot be set (nothing is left
   * behind then).
   */
  create(parent: string, name: string, limits: CgroupLimits, options?: CreateOptions): Cgroup;
  /** An existing cgroup (a restarted daemon, exec); no check that it exists. */
  open(parent: string, name: string): Cgroup;
  /** Leak check: every cgroup directory strictly below `parent`, in every hierarchy (absolute paths). */
  list(parent: string): string[];
  /** Removes `parent` and every (empty) cgroup below it in every hierarchy. Idempotent. */
  removeParent(parent: string): Promise<void>;
}
