/** CgroupUsage from the control files: one reader per cgroup version, over the same shape. */
import { readKeyed, readOptional } from './files';
import type { CgroupUsage } from './types';

// cpuacct.stat counts in USER_HZ, which Linux fixes at 100 for user space whatever CONFIG_HZ is.
const NS_PER_TICK = 1e9 / 100;
// At or above this, memory.limit_in_bytes means "no limit" (PAGE_COUNTER_MAX, page-rounded).
const V1_UNLIMITED = 2 ** 62;

const num = (dir: string | undefined, file: string): number =>
  dir ? Number(readOptional(dir, file) ?? 0) || 0 : 0;

/** 'max' (or a missing file) → null. */
function limitOf(text: string | undefined): number | null {
  if (text === undefined || text === 'max') return null;
  const n = Number(text);
  return Number.isFinite(n) && n < V1_UNLIMITED ? n : null;
}

function keyed(dir: string | undefined, file: string): Map<string, number> {
  return dir ? readKeyed(dir, file) : new Map();
}

/** `8:0 Read 4096` lines (blkio.*io_service_bytes_recursive); the closing `Total N` line is skipped. */
export function parseBlkio(text: string): CgroupUsage['io'] {
  const out: CgroupUsage['io'] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3], value: Number(m[4]) });
  }
  return out;
}

/** `8:0 rbytes=1 wbytes=2 rios=…` lines (io.stat) → read and write entries, as docker maps them. */
export function parseIoStat(text: string): CgroupUsage['io'] {
  const out: CgroupUsage['io'] = [];
  for (const line of text.split('\n')) {
    const [dev, ...pairs] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!m) continue;
    const fields = new Map(pairs.map((p) => [p.split('=')[0], Number(p.split('=')[1]) || 0]));
    const device = { major: Number(m[1]), minor: Number(m[2]) };
    out.push({ ...device, op: 'read', value: fields.get('rbytes') ?? 0 });
    out.push({ ...device, op: 'write', value: fields.get('wbytes') ?? 0 });
  }
  return out;
}

/** v1: each controller in its own hierarchy; a controller that is not mounted reads as zeros. */
export function v1Usage(byController: ReadonlyMap<string, string>, pidCount: () => number): CgroupUsage {
  const acct = byController.get('cpuacct');
  const cpu = byController.get('cpu');
  const mem = byController.get('memory');
  const pids = byController.get('pids');
  const blkio = byController.get('blkio');
  const ticks = keyed(acct, 'cpuacct.stat');
  const throttle = keyed(cpu, 'cpu.stat');
  const perCpu = acct ? (readOptional(acct, 'cpuacct.usage_percpu') ?? '') : '';
  // Without the CFQ scheduler only the throttle counters exist; they count every bio all the same.
  const cfq = blkio ? readOptional(blkio, 'blkio.io_service_bytes_recursive') : undefined;
  const io = cfq ?? (blkio ? readOptional(blkio, 'blkio.throttle.io_service_bytes_recursive') : undefined);
  return {
    cpu: {
      totalNs: num(acct, 'cpuacct.usage'),
      userNs: (ticks.get('user') ?? 0) * NS_PER_TICK,
      systemNs: (ticks.get('system') ?? 0) * NS_PER_TICK,
      perCpuNs: perCpu.split(/\s+/).filter(Boolean).map(Number),
      periods: throttle.get('nr_periods') ?? 0,
      throttledPeriods: throttle.get('nr_throttled') ?? 0,
      throttledNs: throttle.get('throttled_time') ?? 0,
    },
    memory: {
      usage: num(mem, 'memory.usage_in_bytes'),
      maxUsage: num(mem, 'memory.max_usage_in_bytes'),
      failcnt: num(mem, 'memory.failcnt'),
      limit: mem ? limitOf(readOptional(mem, 'memory.limit_in_bytes')) : null,
      stats: Object.fromEntries(keyed(mem, 'memory.stat')),
    },
    pids: {
      current: pids ? num(pids, 'pids.current') : pidCount(),
      limit: pids ? limitOf(readOptional(pids, 'pids.max')) : null,
    },
    io: parseBlkio(io ?? ''),
  };
}

/** v2: one directory; cpu.stat counts microseconds. */
export function v2Usage(dir: string, pidCount: () => number): CgroupUsage {
  const cpu = readKeyed(dir, 'cpu.stat');
  const us = (key: string): number => (cpu.get(key) ?? 0) * 1000;
  const peak = readOptional(dir, 'memory.peak');
  const pids = readOptional(dir, 'pids.current');
  return {
    cpu: {
      totalNs: us('usage_usec'),
      userNs: us('user_usec'),
      systemNs: us('system_usec'),
      periods: cpu.get('nr_periods') ?? 0,
      throttledPeriods: cpu.get('nr_throttled') ?? 0,
      throttledNs: us('throttled_usec'),
    },
    memory: {
      usage: num(dir, 'memory.current'),
      ...(peak === undefined ? {} : { maxUsage: Number(peak) }),
      limit: limitOf(readOptional(dir, 'memory.max')),
      stats: Object.fromEntries(readKeyed(dir, 'memory.stat')),
    },
    pids: {
      current: pids === undefined ? pidCount() : Number(pids),
      limit: limitOf(readOptional(dir, 'pids.max')),
    },
    io: parseIoStat(readOptional(dir, 'io.stat') ?? ''),
  };
}
