/**
 * docker's PORTS text of a list entry (`api.DisplayablePorts`): `0.0.0.0:8080->80/tcp` for a
 * published port, `80/tcp` for one only exposed, consecutive ports folded into ranges
 * (`0.0.0.0:8000-8001->80-81/tcp`), IPv6 host addresses in brackets.
 */
import type { SummaryPort } from '../../engine-api/container/types';

interface Run {
  ip?: string;
  type: string;
  first: SummaryPort;
  last: SummaryPort;
}

const hostPart = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const range = (a: number, b: number): string => (a === b ? String(a) : `${a}-${b}`);

export function displayablePorts(ports: readonly SummaryPort[]): string {
  const sorted = [...ports].sort(
    (a, b) =>
      cmp(a.Type, b.Type) ||
      cmp(a.IP ?? '', b.IP ?? '') ||
      a.PrivatePort - b.PrivatePort ||
      (a.PublicPort ?? 0) - (b.PublicPort ?? 0),
  );
  const runs: Run[] = [];
  for (const p of sorted) {
    const run = runs.at(-1);
    const follows =
      run &&
      run.type === p.Type &&
      run.ip === p.IP &&
      p.PrivatePort === run.last.PrivatePort + 1 &&
      (p.PublicPort === undefined) === (run.last.PublicPort === undefined) &&
      (p.PublicPort === undefined || p.PublicPort === (run.last.PublicPort ?? 0) + 1);
    if (run && follows) run.last = p;
    else runs.push({ ip: p.IP, type: p.Type, first: p, last: p });
  }
  return runs
    .map((r) => {
      const inner = `${range(r.first.PrivatePort, r.last.PrivatePort)}/${r.type}`;
      if (r.first.PublicPort === undefined) return inner;
      const outer = range(r.first.PublicPort, r.last.PublicPort ?? r.first.PublicPort);
      return `${hostPart(r.ip ?? '0.0.0.0')}:${outer}->${inner}`;
    })
    .join(', ');
}
