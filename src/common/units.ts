/**
 * Sizes and durations as docker reads and prints them (docker/go-units and Go's time package),
 * one parser for the CLI's flags, the log drivers' options and the compose model. Each parser
 * throws a UnitError with the Go wording; callers add which flag or field it was.
 */
export class UnitError extends Error {}

/**
 * go-units' size syntax (`512m`, `1.5GiB`, `2 kb`): the unit is case-insensitive and the `b`
 * or `ib` after it is decoration, so `k`, `kb` and `kib` are the same multiple; which multiple
 * (1000 or 1024) depends on the function, not on the `i`.
 */
const SIZE = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i;

function parseSize(text: string, base: number): number {
  const m = SIZE.exec(text);
  if (!m) throw new UnitError(`invalid size: '${text}'`);
  // Go's strconv.ParseFloat refuses `1.2.3`, which the pattern lets through.
  if (!/^\d+(?:\.\d+)?$/.test(m[1]))
    throw new UnitError(`strconv.ParseFloat: parsing ${JSON.stringify(m[1])}: invalid syntax`);
  const power = m[2] ? 'kmgtp'.indexOf(m[2].toLowerCase()) + 1 : 0;
  return Math.trunc(Number(m[1]) * base ** power);
}

/** go-units' RAMInBytes: binary multiples (`1k` = 1024), for memory, shm and tmpfs sizes. */
export function ramInBytes(text: string): number {
  return parseSize(text, 1024);
}

/** go-units' FromHumanSize: decimal multiples (`1k` = 1000), for log file sizes. */
export function fromHumanSize(text: string): number {
  return parseSize(text, 1000);
}

/** Nanoseconds per unit; Go accepts both micro signs (U+00B5 and U+03BC). */
const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3,
  '\u03bcs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/**
 * Go's time.ParseDuration, in nanoseconds: a signed sequence of decimal numbers each with a
 * unit (`300ms`, `-1.5h`, `2h45m`); `0` alone needs no unit. Exact below 2^53 ns (104 days).
 */
export function parseDuration(text: string): number {
  const quoted = JSON.stringify(text);
  const invalid = () => new UnitError(`time: invalid duration ${quoted}`);
  let s = text;
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const m = PART.exec(s) as RegExpExecArray;
    const [all, whole, fraction = '', unit] = m;
    if (whole === '' && fraction === '') throw invalid();
    if (unit === '') throw new UnitError(`time: missing unit in duration ${quoted}`);
    const ns = UNIT_NS[unit];
    if (ns === undefined)
      throw new UnitError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    total += Number(whole || '0') * ns + (fraction ? Math.trunc(Number(`0.${fraction}`) * ns) : 0);
    s = s.slice(all.length);
  }
  return negative ? -total : total;
}

/** parseDuration, or undefined for what it refuses (for values that may be something else). */
export function tryParseDuration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

/** `digits` as a decimal number with `places` decimals, trailing zeros (and point) dropped. */
function decimal(n: number, places: number): string {
  const scale = 10 ** places;
  const frac = String(n % scale)
    .padStart(places, '0')
    .replace(/0+$/, '');
  return `${Math.floor(n / scale)}${frac ? `.${frac}` : ''}`;
}

/** Go's Duration.String(): `1m30s`, `2m0s`, `1h0m0s`, `500ms`, `1.5µs`, `0s`. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let u = Math.abs(Math.trunc(ns));
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${decimal(u, 3)}\u00b5s`;
  if (u < 1e9) return `${sign}${decimal(u, 6)}ms`;
  const h = Math.floor(u / 3600e9);
  u -= h * 3600e9;
  const m = Math.floor(u / 60e9);
  u -= m * 60e9;
  const s = `${decimal(u, 9)}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}
