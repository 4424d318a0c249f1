/**
 * docker compose's `top` table (`cmd/compose/top.go`): one table for every container, SERVICE and
 * # (the replica) first, then the process columns in the order first seen with CMD last, `-`
 * where a container's ps has no such column; sorted by container name; nothing at all when no
 * process is listed.
 */
import type { ContainerProcSummary } from '../../compose/top';
import { tabulate } from '../format/tabwriter';

export function renderComposeTop(containers: readonly ContainerProcSummary[]): string {
  const sorted = [...containers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header = ['SERVICE', '#'];
  for (const c of sorted) for (const t of c.titles) if (!header.includes(t)) header.push(t);
  const cmd = header.indexOf('CMD');
  if (cmd >= 0) header.push(...header.splice(cmd, 1));
  const rows = sorted.flatMap((c) =>
    c.processes.map((p) => {
      const cell: Record<string, string> = { SERVICE: c.service, '#': c.replica };
      c.titles.forEach((t, i) => (cell[t] = p[i] ?? ''));
      return header.map((h) => cell[h] ?? '-');
    }),
  );
  return rows.length === 0 ? '' : tabulate([header, ...rows], { minWidth: 4, padding: 2 });
}
