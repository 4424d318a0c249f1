/**
 * The model as `docker compose config` prints it: top-level keys in the reference order,
 * everything below sorted, literal `$` written back as `$$` so the output loads again unchanged.
 */
import YAML from 'yaml';

const TOP_ORDER = ['name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models'];

export function orderModel(model: Record<string, unknown>, escapeDollars: boolean): Record<string, unknown> {
  const keys = Object.keys(model).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = sortDeep(model[k], escapeDollars);
  return out;
}

function rank(k: string): number {
  const i = TOP_ORDER.indexOf(k);
  return i < 0 ? TOP_ORDER.length : i;
}

function sortDeep(v: unknown, escape: boolean): unknown {
  if (typeof v === 'string') return escape ? v.replace(/\$/g, '$$$$') : v;
  if (Array.isArray(v)) return v.map((x) => sortDeep(x, escape));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortDeep(x, escape);
    }
    return out;
  }
  return v;
}

export function toYaml(model: Record<string, unknown>): string {
  return YAML.stringify(model, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}

export function toJson(model: Record<string, unknown>): string {
  return JSON.stringify(model, null, 2) + '\n';
}
