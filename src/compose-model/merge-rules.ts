/**
 * compose-go's merge tables (override/merge.go and override/uncity.go), as data: how an
 * override file meets the base at a given path, and by which key a sequence drops earlier
 * entries that a later one redefines. Paths are dotted, `*` matches any one segment.
 */
import { parseServiceVolume } from './short-volumes';
import { isObj } from './source';

export type MergeRule =
  | 'override' // the override file's value replaces the base one
  | 'sequence' // both sides as `key=value` sequences, appended (unicity applies afterwards)
  // compose-go's 'sequence' + unicity by key, kept as a map: the same map once canonical, and
  // values keep their YAML type and their place.
  | 'kv'
  | 'hosts' // sequences appended, entries already in the base skipped
  | 'depends_on' // both sides as maps, lists become {condition: service_started, required: true}
  | 'mapping' // both sides as maps, lists become {name: null}
  | 'build' // a string is {context: string}; then maps merge
  | 'logging' // options merge only when both sides name the same driver (or one names none)
  | 'ulimit' // a limit is replaced as a whole
  | 'ipam'; // ipam.config entries merged by subnet, as compose-go does

export const MERGE_RULES: [string, MergeRule][] = [
  ['networks.*.ipam.config', 'ipam'],
  ['networks.*.labels', 'kv'],
  ['volumes.*.labels', 'kv'],
  ['services.*.annotations', 'kv'],
  ['services.*.build', 'build'],
  ['services.*.build.args', 'kv'],
  ['services.*.build.additional_contexts', 'sequence'],
  ['services.*.build.extra_hosts', 'hosts'],
  ['services.*.build.labels', 'kv'],
  ['services.*.command', 'override'],
  ['services.*.depends_on', 'depends_on'],
  ['services.*.deploy.labels', 'kv'],
  ['services.*.dns', 'sequence'],
  ['services.*.dns_opt', 'sequence'],
  ['services.*.dns_search', 'sequence'],
  ['services.*.entrypoint', 'override'],
  ['services.*.env_file', 'sequence'],
  ['services.*.label_file', 'sequence'],
  ['services.*.environment', 'kv'],
  ['services.*.extra_hosts', 'hosts'],
  ['services.*.healthcheck.test', 'override'],
  ['services.*.labels', 'kv'],
  ['services.*.logging', 'logging'],
  ['services.*.models', 'mapping'],
  ['services.*.networks', 'mapping'],
  ['services.*.sysctls', 'kv'],
  ['services.*.tmpfs', 'sequence'],
  ['services.*.ulimits.*', 'ulimit'],
  // Flags replace like command does. compose-go appends here today, but its own test of this
  // rule (the corpus case) says replace; appending would pass `--batch-size` twice.
  ['models.*.runtime_flags', 'override'],
];

/** The identity of a sequence entry: a later entry with the same key replaces the earlier one. */
export type Indexer = (entry: unknown) => string;

const keyValue: Indexer = (v) => {
  const s = typeof v === 'string' ? v : String(v);
  const i = s.indexOf('=');
  return i < 0 ? s : s.slice(0, i);
};

const volumeTarget: Indexer = (v) => {
  if (isObj(v)) return String(v.target);
  try {
    return String(parseServiceVolume(v).target);
  } catch {
    return String(v); // a bad spec is reported, with its place, when the model is canonicalised
  }
};

const deviceTarget: Indexer = (v) => {
  if (isObj(v)) return String(v.target);
  const parts = String(v).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
};

const exposeKey: Indexer = (v) => String(v);

const mountTarget =
  (dir: string): Indexer =>
  (v) => {
    if (isObj(v)) return v.target !== undefined ? String(v.target) : `${dir}/${String(v.source)}`;
    return `${dir}/${String(v)}`;
  };

/** Go's `%s`/`%d` of a value that may not be of the expected type: keys differ as compose-go's do. */
const goS = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '%!s(<nil>)' : `%!s(int=${String(v)})`;
const goD = (v: unknown): string =>
  typeof v === 'number'
    ? String(v)
    : v === undefined || v === null
      ? '%!d(<nil>)'
      : `%!d(string=${String(v)})`;

const portKey: Indexer = (v) => {
  if (typeof v === 'number') return String(v);
  if (isObj(v)) {
    return `${goS(v.host_ip ?? '0.0.0.0')}:${goS(v.published)}:${goD(v.target)}/${goS(v.protocol ?? 'tcp')}`;
  }
  return String(v);
};

const envFilePath: Indexer = (v) => (isObj(v) ? String(v.path) : String(v));

export const UNICITY: [string, Indexer][] = [
  ['networks.*.labels', keyValue],
  ['networks.*.ipam.options', keyValue],
  ['services.*.annotations', keyValue],
  ['services.*.build.args', keyValue],
  ['services.*.build.additional_contexts', keyValue],
  ['services.*.build.platform', keyValue], // sic: compose-go leaves `platforms` alone
  ['services.*.build.tags', keyValue],
  ['services.*.build.labels', keyValue],
  ['services.*.cap_add', keyValue],
  ['services.*.cap_drop', keyValue],
  ['services.*.configs', mountTarget('')],
  ['services.*.deploy.labels', keyValue],
  ['services.*.dns', keyValue],
  ['services.*.dns_opt', keyValue],
  ['services.*.dns_search', keyValue],
  ['services.*.environment', keyValue],
  ['services.*.env_file', envFilePath],
  ['services.*.expose', exposeKey],
  ['services.*.labels', keyValue],
  ['services.*.links', keyValue],
  ['services.*.networks.*.aliases', keyValue],
  ['services.*.networks.*.link_local_ips', keyValue],
  ['services.*.ports', portKey],
  ['services.*.profiles', keyValue],
  ['services.*.secrets', mountTarget('/run/secrets')],
  ['services.*.sysctls', keyValue],
  ['services.*.tmpfs', keyValue],
  ['services.*.volumes', volumeTarget],
  ['services.*.devices', deviceTarget],
];

const split = <T>(table: [string, T][]): [string[], T][] => table.map(([p, v]) => [p.split('.'), v]);
const MERGE_PATTERNS = split(MERGE_RULES);
const UNICITY_PATTERNS = split(UNICITY);

function lookup<T>(table: [string[], T][], path: readonly string[]): T | undefined {
  for (const [parts, v] of table) {
    if (parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i])) return v;
  }
  return undefined;
}

export const mergeRuleAt = (path: readonly string[]): MergeRule | undefined => lookup(MERGE_PATTERNS, path);

export const indexerAt = (path: readonly string[]): Indexer | undefined => lookup(UNICITY_PATTERNS, path);
