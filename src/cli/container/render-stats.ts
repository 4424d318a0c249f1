/**
 * What `docker stats` prints: its numbers computed from a sample as the docker CLI computes
 * them (CPU % from the sample and its precpu_stats, memory without the inactive page cache,
 * block and network bytes summed), then its columns.
 */
import type { ContainerStats } from '../../engine-api/container/stats-types';
import { renderListing, shortId, type Context, type Listing } from '../format/listing';
import { formatG, humanSize } from '../format/go-format';

export interface StatsEntry {
  /** What the user named (or the short id when listing them all). */
  container: string;
  id: string;
  /** With its leading `/`, as the API answers. */
  name: string;
  cpuPercent: number;
  memory: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  /** The sample could not be read (the container went away): docker prints `--`. */
  invalid?: boolean;
}

const STATS_LISTING: Listing = {
  table: '{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}',
  headers: {
    Container: 'CONTAINER',
    ID: 'CONTAINER ID',
    Name: 'NAME',
    CPUPerc: 'CPU %',
    MemUsage: 'MEM USAGE / LIMIT',
    MemPerc: 'MEM %',
    NetIO: 'NET I/O',
    BlockIO: 'BLOCK I/O',
    PIDs: 'PIDS',
  },
};

export function cpuPercent(s: ContainerStats): number {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** Usage without the inactive file cache: total_inactive_file on cgroup v1, inactive_file on v2. */
export function memoryUsage(s: ContainerStats): number {
  const usage = s.memory_stats.usage ?? 0;
  const stats = s.memory_stats.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file ?? 0;
  return v2 < usage ? usage - v2 : usage;
}

function blockIo(s: ContainerStats): [number, number] {
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats.io_service_bytes_recursive ?? []) {
    if (/^[rR]/.test(e.op)) read += e.value;
    else if (/^[wW]/.test(e.op)) write += e.value;
  }
  return [read, write];
}

export function statsEntry(s: ContainerStats, container: string): StatsEntry {
  const memory = memoryUsage(s);
  const memoryLimit = s.memory_stats.limit ?? 0;
  const nets = Object.values(s.networks ?? {});
  const [blockRead, blockWrite] = blockIo(s);
  return {
    container,
    id: s.id,
    name: s.name,
    cpuPercent: cpuPercent(s),
    memory,
    memoryLimit,
    memoryPercent: memoryLimit !== 0 ? (memory / memoryLimit) * 100 : 0,
    netRx: nets.reduce((a, n) => a + n.rx_bytes, 0),
    netTx: nets.reduce((a, n) => a + n.tx_bytes, 0),
    blockRead,
    blockWrite,
    pids: s.pids_stats.current ?? 0,
  };
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** go-units' BytesSize: binary units, `%.4g` ('1.5MiB', '7.631GiB'). */
export function bytesSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < BINARY_UNITS.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${formatG(size, 4)}${BINARY_UNITS[unit]}`;
}

const percent = (v: number): string => `${v.toFixed(2)}%`;

export function statsContext(e: StatsEntry, noTrunc = false): Context {
  const bad = e.invalid === true;
  return {
    Container: e.container,
    ID: noTrunc ? e.id : shortId(e.id),
    Name: e.name.length > 1 ? e.name.slice(1) : '--',
    CPUPerc: bad ? '--' : percent(e.cpuPercent),
    MemUsage: bad ? '-- / --' : `${bytesSize(e.memory)} / ${bytesSize(e.memoryLimit)}`,
    MemPerc: bad ? '--' : percent(e.memoryPercent),
    NetIO: bad ? '--' : `${humanSize(e.netRx)} / ${humanSize(e.netTx)}`,
    BlockIO: bad ? '--' : `${humanSize(e.blockRead)} / ${humanSize(e.blockWrite)}`,
    PIDs: bad ? '--' : String(e.pids),
  };
}

export function renderStats(entries: StatsEntry[], format?: string, noTrunc = false): string {
  return renderListing(
    entries.map((e) => statsContext(e, noTrunc)),
    format,
    STATS_LISTING,
  );
}
