/**
 * docker's filters of a container list (`ps --filter`): every key must match; the values of one
 * key are alternatives, but labels are all required (docker's ExactMatch and Include rules).
 */
import { InvalidArgumentError } from '../../common/errors';
import { ZERO_TIME, type ContainerRecord } from './record';

const KEYS = new Set([
  'label',
  'name',
  'id',
  'status',
  'health',
  'ancestor',
  'network',
  'volume',
  'exited',
  'before',
  'since',
  'publish',
  'expose',
  'isolation',
  'is-task',
]);
const STATES = new Set(['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead']);
/** docker's container.IsValidHealthString: `none` is a container without a healthcheck. */
const HEALTH = new Set(['starting', 'healthy', 'unhealthy', 'none']);

/** A network a container is on: its name (the key of NetworkSettings.Networks) and id. */
export interface NetworkOf {
  name: string;
  id: string;
}

/**
 * The test a record must pass, the filters checked first as dockerd checks them. `imageId`
 * resolves an `ancestor` value (a reference or an image id) to the image id it names, or
 * undefined when there is no such image: dockerd skips those, and with no ancestor left
 * nothing matches. `networks` lists the networks a container is on (asked only for `network`).
 */
export function containerFilter(
  filters: Record<string, string[]> = {},
  imageId: (ref: string) => string | undefined,
  networks: (r: ContainerRecord) => NetworkOf[] = () => [],
  createdOf: (ref: string) => string = () => '',
): (r: ContainerRecord) => boolean {
  for (const key of Object.keys(filters)) {
    if (!KEYS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
  for (const v of filters.health ?? []) {
    if (!HEALTH.has(v)) throw new InvalidArgumentError(`Unrecognised filter value for health: ${v}`);
  }
  for (const v of filters.status ?? []) {
    if (!STATES.has(v)) throw new InvalidArgumentError(`Unrecognised filter value for status: ${v}`);
  }
  for (const v of filters.exited ?? []) {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`invalid filter 'exited=${v}'`);
  }
  const ancestors = filters.ancestor && new Set(filters.ancestor.flatMap((ref) => imageId(ref) ?? []));
  // dockerd: the newest container named by `before`, the oldest named by `since`
  const before = filters.before?.map(createdOf).sort()[0];
  const since = filters.since?.map(createdOf).sort().at(-1);
  const publish = filters.publish && portSet('publish', filters.publish);
  const expose = filters.expose && portSet('expose', filters.expose);
  return (r) => {
    const labels = r.config.Labels ?? {};
    const tests: Record<string, (v: string) => boolean> = {
      label: (v) => {
        const i = v.indexOf('=');
        return i < 0 ? v in labels : labels[v.slice(0, i)] === v.slice(i + 1);
      },
      name: (v) => nameMatches(v, r.name),
      id: (v) => r.id.startsWith(v),
      status: (v) => r.state.Status === v,
      health: (v) => (r.state.Health?.Status ?? 'none') === v,
      ancestor: () => ancestors?.has(r.imageId) === true,
      // dockerd's: a network's exact name, or a prefix of its id.
      network: (v) => networks(r).some((n) => n.name === v || n.id.startsWith(v)),
      // dockerd's: a volume's name (a bind's source) or where it is mounted
      volume: (v) =>
        r.spec.mounts.some((m) => m.volume?.name === v || (!m.volume && m.source === v) || m.target === v),
      exited: (v) => !r.state.Running && r.state.StartedAt !== ZERO_TIME && r.state.ExitCode === Number(v),
      before: () => before !== undefined && r.created < before,
      since: () => since !== undefined && r.created > since,
      publish: () => Object.keys(r.hostConfig.PortBindings ?? {}).some((p) => publish?.has(withProto(p))),
      expose: () =>
        [...Object.keys(r.config.ExposedPorts ?? {}), ...Object.keys(r.hostConfig.PortBindings ?? {})].some(
          (p) => expose?.has(withProto(p)),
        ),
      isolation: (v) => v === 'default' || v === '',
      'is-task': (v) => !['true', '1'].includes(v.toLowerCase()),
    };
    return Object.entries(filters).every(([key, values]) => {
      const test = tests[key];
      return key === 'label' ? values.every(test) : values.some(test);
    });
  };
}

const withProto = (port: string): string => (port.includes('/') ? port : `${port}/tcp`);

/** `80`, `80/udp`, `8000-8080/tcp`: the ports they name, each as `port/proto`. */
function portSet(key: string, values: string[]): Set<string> {
  const out = new Set<string>();
  for (const v of values) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(v);
    if (!m) throw new InvalidArgumentError(`invalid filter '${key}=${v}'`);
    const [lo, hi = lo] = [Number(m[1]), m[2] === undefined ? undefined : Number(m[2])];
    if (hi < lo || hi > 65535) throw new InvalidArgumentError(`invalid filter '${key}=${v}'`);
    for (let p = lo; p <= hi; p++) out.add(`${p}/${m[3] ?? 'tcp'}`);
  }
  return out;
}

/** dockerd lists stopped containers too when a filter is about them (status, before, since). */
export function filtersImplyAll(filters: Record<string, string[]> = {}): boolean {
  return ['status', 'before', 'since'].some((k) => (filters[k] ?? []).length > 0);
}

/**
 * dockerd matches a name filter as a regular expression (RE2, linear) against `/name`. Of its
 * syntax the anchors are served (`^web$`, `^/web`), the rest as plain text: a backtracking
 * engine would let one filter hold the daemon for ever.
 */
function nameMatches(pattern: string, name: string): boolean {
  const m = /^(\^)?(\/)?([^$^]*)(\$)?$/.exec(pattern);
  if (!m) return name.includes(pattern);
  const [, start, slash, text, end] = m;
  const full = `/${name}`;
  const body = start && !slash ? `/${text}` : `${slash ?? ''}${text}`;
  if (start && end) return full === body;
  if (start) return full.startsWith(body);
  if (end) return full.endsWith(body);
  return full.includes(body);
}
