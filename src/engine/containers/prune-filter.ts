/**
 * The filters of `docker container prune` (dockerd's pruneContainers): `until` (a timestamp or a
 * Go duration before now: containers created before it), `label` (all must hold) and `label!`
 * (none may hold).
 */
import { InvalidArgumentError } from '../../common/errors';
import { tryParseDuration } from '../../common/units';
import type { ContainerRecord } from './record';

const KEYS = new Set(['until', 'label', 'label!']);

function hasLabel(labels: Record<string, string>, v: string): boolean {
  const i = v.indexOf('=');
  return i < 0 ? v in labels : labels[v.slice(0, i)] === v.slice(i + 1);
}

/** docker's timestamp forms: unix seconds (with a fraction), RFC 3339 or a date; or a duration ago. */
function untilMs(value: string, now: number): number {
  const ns = tryParseDuration(value);
  if (ns !== undefined) return now - ns / 1e6;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new InvalidArgumentError(`failed to parse value as time or duration: "${value}"`);
  return t;
}

export function pruneFilter(
  filters: Record<string, string[]>,
  now = Date.now(),
): (r: ContainerRecord) => boolean {
  for (const key of Object.keys(filters))
    if (!KEYS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  const until = filters.until ?? [];
  if (until.length > 1) throw new InvalidArgumentError('more than one until filter specified');
  const before = until.length ? untilMs(until[0], now) : undefined;
  return (r) => {
    const labels = r.config.Labels ?? {};
    if (before !== undefined && Date.parse(r.created) >= before) return false;
    if (!(filters.label ?? []).every((v) => hasLabel(labels, v))) return false;
    return !(filters['label!'] ?? []).some((v) => hasLabel(labels, v));
  };
}
