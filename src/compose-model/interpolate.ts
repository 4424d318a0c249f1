/**
 * Variable substitution in compose files: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, nested, and `$$` for a literal `$`.
 * Values at typed paths (ports, booleans, counts) are cast back after substitution, as compose-go
 * does, so `${PORT}` in a port stays a number.
 */
import { ComposeError } from '../common/errors';
import { OverrideTag, ResetTag, locate, pointer, type Loc, type ParsedFile } from './source';

export type Lookup = (name: string) => string | undefined;

class TemplateError extends Error {}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*(?:\.[_a-zA-Z0-9]+)*/;

/** Substitutes variables in one string; throws ComposeError (at `where`) on bad syntax or a missing required variable. */
export function substitute(template: string, lookup: Lookup, where?: Loc, path?: string): string {
  try {
    return expand(template, lookup);
  } catch (err) {
    if (err instanceof ComposeError) throw err.location || !where ? err : new ComposeError(err.detail, where);
    const subject = path ? `invalid interpolation format for ${path}` : 'invalid interpolation format';
    throw new ComposeError(
      `${subject}: ${JSON.stringify(template)}; you may need to escape any $ with another $`,
      where,
      { code: 'INTERPOLATION' },
    );
  }
}

function expand(s: string, lookup: Lookup): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) return out + s.slice(i);
    out += s.slice(i, dollar);
    const next = s[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = matchingBrace(s, dollar + 2);
      out += braced(s.slice(dollar + 2, end), lookup);
      i = end + 1;
    } else {
      // A `$` that starts no variable is kept as written (compose-go: `a $ string`, `^REGEX$`).
      const m = NAME.exec(s.slice(dollar + 1));
      out += m ? (lookup(m[0]) ?? '') : '$';
      i = dollar + 1 + (m ? m[0].length : 0);
    }
  }
  return out;
}

function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    // Defaults may hold braces of their own (`${X:-{"json":1}}`): every `{` opens a level.
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  throw new TemplateError();
}

function braced(body: string, lookup: Lookup): string {
  const m = BRACED_NAME.exec(body);
  if (!m) throw new TemplateError();
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name) ?? '';
  const op = /^(:?[-?+])/.exec(rest);
  if (!op) throw new TemplateError();
  const arg = rest.slice(op[0].length);
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op[0]) {
    case ':-':
      return nonEmpty ? value : expand(arg, lookup);
    case '-':
      return set ? value : expand(arg, lookup);
    case ':+':
      return nonEmpty ? expand(arg, lookup) : '';
    case '+':
      return set ? expand(arg, lookup) : '';
    default: {
      if (op[0] === ':?' ? nonEmpty : set) return value as string;
      const message = expand(arg, lookup);
      throw new ComposeError(`required variable ${name} is missing a value${message ? `: ${message}` : ''}`);
    }
  }
}

type Cast = (s: string) => unknown;
const toInt: Cast = (s) => (/^-?\d+$/.test(s.trim()) ? Number(s) : s);
const toFloat: Cast = (s) => (s.trim() !== '' && !Number.isNaN(Number(s)) ? Number(s) : s);
const toBool: Cast = (s) => {
  const v = s.trim().toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(v)) return true;
  if (['n', 'no', 'false', 'off'].includes(v)) return false;
  return s;
};

/** compose-go's interpolateTypeCastMapping: the paths whose interpolated strings become typed again. */
const CASTS: [string[], Cast][] = [
  ...(
    [
      [['configs', '*', 'mode'], toInt],
      [['secrets', '*', 'mode'], toInt],
      [['cpu_count'], toInt],
      [['cpu_percent'], toFloat],
      [['cpu_period'], toInt],
      [['cpu_quota'], toInt],
      [['cpu_rt_period'], toInt],
      [['cpu_rt_runtime'], toInt],
      [['cpus'], toFloat],
      [['cpu_shares'], toInt],
      [['init'], toBool],
      [['deploy', 'replicas'], toInt],
      [['deploy', 'update_config', 'parallelism'], toInt],
      [['deploy', 'update_config', 'max_failure_ratio'], toFloat],
      [['deploy', 'rollback_config', 'parallelism'], toInt],
      [['deploy', 'rollback_config', 'max_failure_ratio'], toFloat],
      [['deploy', 'restart_policy', 'max_attempts'], toInt],
      [['deploy', 'placement', 'max_replicas_per_node'], toInt],
      [['healthcheck', 'retries'], toInt],
      [['healthcheck', 'disable'], toBool],
      [['oom_kill_disable'], toBool],
      [['oom_score_adj'], toInt],
      [['pids_limit'], toInt],
      [['ports', '*', 'target'], toInt],
      [['privileged'], toBool],
      [['read_only'], toBool],
      [['scale'], toInt],
      [['stdin_open'], toBool],
      [['tty'], toBool],
      [['ulimits', '*'], toInt],
      [['ulimits', '*', 'hard'], toInt],
      [['ulimits', '*', 'soft'], toInt],
      [['volumes', '*', 'read_only'], toBool],
      [['volumes', '*', 'volume', 'nocopy'], toBool],
    ] as [string[], Cast][]
  ).map(([p, c]): [string[], Cast] => [['services', '*', ...p], c]),
  ...['networks', 'volumes', 'secrets', 'configs'].map((k): [string[], Cast] => [
    [k, '*', 'external'],
    toBool,
  ]),
  ...['internal', 'attachable', 'enable_ipv6'].map((k): [string[], Cast] => [['networks', '*', k], toBool]),
];

function castFor(path: string[]): Cast | undefined {
  for (const [pattern, cast] of CASTS) {
    if (pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i])) return cast;
  }
  return undefined;
}

/** Interpolates every string value of the tree (keys are left alone), keeping the locations. */
export function interpolateFile(pf: ParsedFile, lookup: Lookup): ParsedFile {
  const walk = (v: unknown, path: string[]): unknown => {
    if (v instanceof ResetTag) return new ResetTag(walk(v.value, path));
    if (v instanceof OverrideTag) return new OverrideTag(walk(v.value, path));
    if (typeof v === 'string') {
      if (!v.includes('$')) return v;
      const out = substitute(v, lookup, locate(pf.locs, pointer(path)), path.join('.'));
      const cast = castFor(path);
      return cast ? cast(out) : out;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return { ...pf, tree: walk(pf.tree, []) as Record<string, unknown> };
}
