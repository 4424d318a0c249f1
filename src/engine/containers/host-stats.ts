/** What stats reads from /proc beside the cgroup: the host's CPU time and a container's interfaces. */
import fs from 'node:fs';
import type { NetworkStats } from '../../engine-api/container/stats-types';

// /proc/stat counts in USER_HZ, 100 on Linux for user space.
const NS_PER_TICK = 1e9 / 100;

/**
 * The host's CPU time in nanoseconds as dockerd counts it: user, nice, system, idle, iowait,
 * irq and softirq of the `cpu` line (steal and guest left out, as docker's).
 */
export function parseSystemCpuNs(procStat: string): number {
  const line = procStat.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) return 0;
  const ticks = line.trim().split(/\s+/).slice(1, 8).map(Number);
  return ticks.reduce((a, b) => a + (b || 0), 0) * NS_PER_TICK;
}

export function systemCpuNs(): number {
  try {
    return parseSystemCpuNs(fs.readFileSync('/proc/stat', 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * /proc/<pid>/net/dev (the counters of the network namespace the process is in), without the
 * loopback device: docker reports only the interfaces a container is connected through.
 */
export function parseNetDev(text: string): Record<string, NetworkStats> {
  const out: Record<string, NetworkStats> = {};
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (name === 'lo' || f.length < 16) continue;
    out[name] = {
      rx_bytes: f[0],
      rx_packets: f[1],
      rx_errors: f[2],
      rx_dropped: f[3],
      tx_bytes: f[8],
      tx_packets: f[9],
      tx_errors: f[10],
      tx_dropped: f[11],
    };
  }
  return out;
}

/** undefined when the process is gone or the file cannot be read. */
export function netDevOf(pid: number): Record<string, NetworkStats> | undefined {
  try {
    return parseNetDev(fs.readFileSync(`/proc/${pid}/net/dev`, 'utf8'));
  } catch {
    return undefined;
  }
}
