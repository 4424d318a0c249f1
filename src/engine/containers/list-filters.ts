/**
 * docker's filters of a container list (`ps --filter`): every key must match; the values of one
 * key are alternatives, but labels are all required (docker's ExactMatch and Include rules).
 */
import { InvalidArgumentError } from '../../common/errors';
import type { ContainerRecord } from './record';

const KEYS = new Set(['label', 'name', 'id', 'status', 'health', 'ancestor', 'network']);
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
): (r: ContainerRecord) => boolean {
  for (const key of Object.keys(filters)) {
    if (!KEYS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
  for (const v of filters.health ?? []) {
    if (!HEALTH.has(v)) throw new InvalidArgumentError(`Unrecognised filter value for health: ${v}`);
  }
  const ancestors = filters.ancestor && new Set(filters.ancestor.flatMap((ref) => imageId(ref) ?? []));
  return (r) => {
    const labels = r.config.Labels ?? {};
    const tests: Record<string, (v: string) => boolean> = {
      label: (v) => {
        const i = v.indexOf('=');
        return i < 0 ? v in labels : labels[v.slice(0, i)] === v.slice(i + 1);
      },
      name: (v) => r.name.includes(v.replace(/^\//, '')),
      id: (v) => r.id.startsWith(v),
      status: (v) => r.state.Status === v,
      health: (v) => (r.state.Health?.Status ?? 'none') === v,
      ancestor: () => ancestors?.has(r.imageId) === true,
      // dockerd's: a network's exact name, or a prefix of its id.
      network: (v) => networks(r).some((n) => n.name === v || n.id.startsWith(v)),
    };
    return Object.entries(filters).every(([key, values]) => {
      const test = tests[key];
      return key === 'label' ? values.every(test) : values.some(test);
    });
  };
}
