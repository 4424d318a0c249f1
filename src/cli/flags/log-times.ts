/**
 * `logs --since/--until` values as docker reads them — a duration back from now (`10m`, `1h30m`),
 * an RFC 3339 date or time (local time when it names no zone), or unix seconds — turned into the
 * unix seconds the engine takes.
 */
import { tryParseDuration } from '../../common/units';
import { TscomposeError } from '../../common/errors';

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

export function parseLogTime(value: string, nowMs = Date.now()): number {
  const sign = value.startsWith('-') ? -1 : 1;
  const ns = tryParseDuration(value.replace(/^[+-]/, ''));
  if (value !== '0' && ns !== undefined) return Math.trunc((nowMs - (sign * ns) / 1e6) / 1000);
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const m = TIMESTAMP.exec(value);
  if (!m) throw new TscomposeError(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const zone = m[8]?.toUpperCase();
  const offsetMinutes =
    zone === undefined || zone === 'Z'
      ? 0
      : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const epochMs =
    zone === undefined
      ? new Date(y, mo - 1, d, h, mi, s).getTime()
      : Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
  return Number(`${Math.floor(epochMs / 1000)}${m[7] ?? ''}`);
}
