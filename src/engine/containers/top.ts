/** `docker top` from /proc: the columns of `ps -ef` for the processes of one container. */
import fs from 'node:fs';
import os from 'node:os';
import type { ContainerTopResponse } from '../../engine-api/container/types';
import { topWithPs } from './top-ps';

const TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
const HZ = 100; // USER_HZ on Linux

function userNames(): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name && uid) names.set(Number(uid), name);
    }
  } catch {
    // numbers then
  }
  return names;
}

function clock(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Math.floor(totalSeconds % 60);
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

function row(pid: number, users: Map<number, string>, bootMs: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = fields[1];
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const startMs = bootMs + (Number(fields[19]) / HZ) * 1000;
    const uidLine = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m);
    const uid = Number(uidLine?.[1] ?? 0);
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const cmd = raw
      ? raw.replace(/\0$/, '').split('\0').join(' ')
      : `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
    const elapsed = Math.max(1, (Date.now() - startMs) / 1000);
    const c = Math.floor(((cpuTicks / HZ) * 100) / elapsed);
    const start = new Date(startMs).toTimeString().slice(0, 5);
    return [
      users.get(uid) ?? String(uid),
      String(pid),
      ppid,
      String(c),
      start,
      '?',
      clock(cpuTicks / HZ),
      cmd,
    ];
  } catch {
    return undefined; // exited while we looked
  }
}

export function topOf(pids: number[], psArgs?: string): ContainerTopResponse {
  // ps -ef's columns from /proc; other options go to the host's ps, as dockerd does
  if (psArgs && psArgs.trim() !== '-ef') return topWithPs(pids, psArgs);
  const users = userNames();
  const bootMs = Date.now() - os.uptime() * 1000;
  const processes = [...pids]
    .sort((a, b) => a - b)
    .map((pid) => row(pid, users, bootMs))
    .filter((r): r is string[] => r !== undefined);
  return { Titles: TITLES, Processes: processes };
}
