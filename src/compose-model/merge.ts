/**
 * Several compose files merged in order with compose-go's rules: maps merge, scalars and a few
 * commands are replaced, sequences are appended with unicity (by target, source, value…),
 * key=value attributes merge as maps whatever form each side used, `!reset` removes and
 * `!override` replaces. The merged locations keep the file where each value was last written.
 */
import { OverrideTag, ResetTag, type LocMap, type ParsedFile, type Tree } from './source';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof ResetTag) &&
  !(v instanceof OverrideTag);

type Rule =
  | 'replace'
  | 'kv'
  | 'kv-list'
  | 'hosts'
  | 'deps'
  | 'logging'
  | 'ulimits'
  | 'build'
  | { unique: (x: unknown) => string; deep?: boolean };

const byValue = (x: unknown) => JSON.stringify(x);
const byTarget = (x: unknown) => {
  if (isObj(x)) return String(x.target ?? x.source);
  const parts = String(x).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
};
/** Secrets and configs are unique by where they are mounted (default: named after the source). */
const byMountTarget = (dir: string) => (x: unknown) =>
  isObj(x) ? String(x.target ?? `${dir}${String(x.source)}`) : `${dir}${String(x)}`;
const byPath = (x: unknown) => (isObj(x) ? String(x.path) : String(x));
const byLinkName = (x: unknown) => String(x).split(/[:=]/)[0];
const byDeviceTarget = (x: unknown) => {
  if (isObj(x)) return String(x.target ?? x.source);
  const parts = String(x).split(':');
  return parts[1] ?? parts[0];
};

/** Rules keyed by the path below a service (`*` = any key). Everything else: maps merge, lists append uniquely. */
const SERVICE_RULES: [string, Rule][] = [
  ['command', 'replace'],
  ['entrypoint', 'replace'],
  ['healthcheck.test', 'replace'],
  ['environment', 'kv'],
  ['labels', 'kv'],
  ['annotations', 'kv'],
  ['sysctls', 'kv'],
  ['build.args', 'kv'],
  ['build.labels', 'kv'],
  ['deploy.labels', 'kv'],
  ['extra_hosts', 'hosts'],
  ['depends_on', 'deps'],
  ['networks', 'deps'],
  ['logging', 'logging'],
  ['ulimits', 'ulimits'],
  ['build', 'build'],
  ['volumes', { unique: byTarget }],
  ['devices', { unique: byDeviceTarget }],
  ['secrets', { unique: byMountTarget('/run/secrets/') }],
  ['configs', { unique: byMountTarget('/') }],
  ['env_file', { unique: byPath }],
  ['links', { unique: byLinkName }],
  ['models', 'deps'],
  ['build.additional_contexts', 'kv-list'],
];
/** Rules below a top-level resource (`networks.<name>.…`). */
const RESOURCE_RULES: [string, Rule][] = [
  ['labels', 'kv'],
  ['runtime_flags', 'replace'],
  ['ipam.config', { unique: (x) => (isObj(x) ? String(x.subnet) : String(x)), deep: true }],
];
const PROMOTED = new Set(['tmpfs', 'env_file', 'dns', 'dns_search', 'label_file', 'build.ssh']);

export function mergeFiles(files: ParsedFile[]): ParsedFile {
  if (files.length === 0) return { file: '', tree: {}, locs: new Map() };
  let tree: unknown = files[0].tree;
  const locs: LocMap = new Map(files[0].locs);
  for (const f of files.slice(1)) {
    tree = mergeValue(tree, f.tree, []);
    for (const [k, v] of f.locs) locs.set(k, v);
  }
  return { file: files[0].file, tree: resolveTags(tree) as Tree, locs };
}

/** Merges one service definition onto another (extends uses the same rules). */
export function mergeService(base: unknown, over: unknown): unknown {
  return resolveTags(mergeValue(base, over, ['services', '_']));
}

function ruleFor(path: string[]): Rule | undefined {
  if (path.length < 3) return undefined;
  const sub = path.slice(2).join('.');
  const table = path[0] === 'services' ? SERVICE_RULES : RESOURCE_RULES;
  return table.find(([p]) => p === sub)?.[1];
}

function mergeValue(base: unknown, over: unknown, path: string[]): unknown {
  if (over instanceof ResetTag) return over;
  if (over instanceof OverrideTag) return over.value;
  const rule = ruleFor(path);
  const sub = path.slice(2).join('.');
  if (rule === 'deps' && (base === undefined || base instanceof ResetTag)) return toDepsMap(over, sub);
  if (base === undefined || base instanceof ResetTag) return over;
  if (rule === 'replace') return over;
  if (rule === 'kv') return { ...toMap(base, false), ...toMap(over, false) };
  // A host may have several addresses: compose-go writes one `host=ip` entry each.
  if (rule === 'hosts') return unique([...hostEntries(base), ...hostEntries(over)], byValue);
  if (rule === 'kv-list') {
    return Object.entries({ ...toMap(base, false), ...toMap(over, false) }).map(
      ([k, v]) => `${k}=${String(v)}`,
    );
  }
  if (rule === 'deps') return mergeMaps(toDepsMap(base, sub), toDepsMap(over, sub), path);
  if (rule === 'build') {
    const b = typeof base === 'string' ? { context: base } : base;
    const o = typeof over === 'string' ? { context: over } : over;
    return mergeMaps(b, o, path);
  }
  if (rule === 'logging' && isObj(base) && isObj(over)) {
    if (base.driver !== undefined && over.driver !== undefined && base.driver !== over.driver) return over;
    return mergeMaps(base, over, path);
  }
  if (rule === 'ulimits' && isObj(base) && isObj(over)) return { ...base, ...over };
  if (path[0] === 'services' && PROMOTED.has(sub)) {
    const key = typeof rule === 'object' ? rule.unique : byValue;
    return unique([...asList(base), ...asList(over)], key);
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    const key = typeof rule === 'object' ? rule.unique : byValue;
    const deep =
      typeof rule === 'object' && rule.deep ? (a: unknown, b: unknown) => mergeValue(a, b, path) : undefined;
    return unique([...base, ...over], key, deep);
  }
  if (isObj(base) && isObj(over)) return mergeMaps(base, over, path);
  return over;
}

function mergeMaps(base: unknown, over: unknown, path: string[]): Obj {
  const out: Obj = { ...(isObj(base) ? base : {}) };
  for (const [k, v] of Object.entries(isObj(over) ? over : {})) out[k] = mergeValue(out[k], v, [...path, k]);
  return out;
}

/** Later items replace (or with `combine`, merge into) earlier ones with the same key, in the earlier one's place. */
function unique(
  items: unknown[],
  key: (x: unknown) => string,
  combine?: (a: unknown, b: unknown) => unknown,
): unknown[] {
  const out: unknown[] = [];
  const at = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(item);
    } else out[i] = combine ? combine(out[i], item) : item;
  }
  return out;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function toMap(v: unknown, hosts: boolean): Obj {
  if (isObj(v)) return v;
  const out: Obj = {};
  for (const item of asList(v)) {
    const s = String(item);
    const i = hosts ? s.search(/[=:]/) : s.indexOf('=');
    if (i < 0) out[s] = null;
    else out[s.slice(0, i)] = s.slice(i + 1);
  }
  return out;
}

function hostEntries(v: unknown): string[] {
  if (!isObj(v)) return asList(v).map((x) => String(x).replace(/^([^=:]+):/, '$1='));
  return Object.entries(v).flatMap(([h, ip]) => asList(ip).map((x) => `${h}=${String(x)}`));
}

function toDepsMap(v: unknown, sub: string): Obj {
  if (isObj(v)) return v;
  const value = sub === 'depends_on' ? () => ({ condition: 'service_started', required: true }) : () => null;
  return Object.fromEntries(asList(v).map((x) => [String(x), value()]));
}

/** Drops `!reset` values and unwraps `!override` ones left in the tree. */
function resolveTags(v: unknown): unknown {
  if (v instanceof OverrideTag) return resolveTags(v.value);
  if (Array.isArray(v)) return v.filter((x) => !(x instanceof ResetTag)).map(resolveTags);
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (!(x instanceof ResetTag)) out[k] = resolveTags(x);
    return out;
  }
  return v;
}
