/**
 * A point in time as dockerd reads `until` and `since` filter values (moby's
 * `timetypes.GetTimestamp`): a Go duration counts back from now (`10m`), a number is unix
 * seconds (with decimals for the nanoseconds), anything else a date (RFC 3339 or a prefix of it).
 */
import { InvalidArgumentError } from './errors';
import { tryParseDuration } from './units';

/** Milliseconds since the epoch. */
export function dockerTimestamp(value: string, now = Date.now()): number {
  const ns = tryParseDuration(value);
  if (ns !== undefined) return now - ns / 1e6;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed))
    throw new InvalidArgumentError(`failed to parse value as time or duration: "${value}"`);
  return parsed;
}
