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
  /** True when the kernel's OOM killer killed a process of this cgroup (or it is under OOM now). */
  oomKilled(): boolean;
  /** Removes the cgroup in every hierarchy; waits briefly for exiting tasks (EBUSY). Idempotent. */
  destroy(timeoutMs?: number): Promise<void>;
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
