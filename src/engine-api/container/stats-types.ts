/**
 * GET /containers/{id}/stats, in the Docker Engine API's shape (v1.41, Linux): one object a
 * sample, `precpu_stats` holding the previous sample's CPU numbers so a client can compute a
 * percentage from one object.
 */

export interface CpuStats {
  cpu_usage: {
    /** Nanoseconds of CPU time, all tasks of the container. */
    total_usage: number;
    percpu_usage?: number[];
    usage_in_kernelmode: number;
    usage_in_usermode: number;
  };
  /** Nanoseconds of CPU time of the whole host (/proc/stat), busy or idle. */
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface MemoryStats {
  usage?: number;
  max_usage?: number;
  stats?: Record<string, number>;
  failcnt?: number;
  limit?: number;
}

export interface BlkioStatEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface ContainerStats {
  /** RFC 3339 with nanoseconds; `0001-01-01T00:00:00Z` for a container that does not run. */
  read: string;
  preread: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: {
    io_service_bytes_recursive: BlkioStatEntry[] | null;
    io_serviced_recursive: BlkioStatEntry[] | null;
    io_queue_recursive: BlkioStatEntry[] | null;
    io_service_time_recursive: BlkioStatEntry[] | null;
    io_wait_time_recursive: BlkioStatEntry[] | null;
    io_merged_recursive: BlkioStatEntry[] | null;
    io_time_recursive: BlkioStatEntry[] | null;
    sectors_recursive: BlkioStatEntry[] | null;
  };
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: MemoryStats;
  /** `/name`, as docker's. */
  name: string;
  id: string;
  networks?: Record<string, NetworkStats>;
}

export interface StatsOptions {
  /** A sample a second until the container stops (docker's default); false: one sample. */
  stream?: boolean;
  /** With stream false: answer at once, without waiting a second for `precpu_stats`. */
  oneShot?: boolean;
}
