/**
 * The corpus's comparison modes (corpus/README.md), applied strictly. Each returns the list of
 * differences (empty = equal) so a failing case says where it differs.
 */
export type Mode = 'exact' | 'subset' | 'exact-service' | 'merged-tree';

export function compare(mode: Mode, expected: unknown, actual: unknown): string[] {
  switch (mode) {
    case 'exact':
      return exact(expected, actual, '');
    case 'subset':
      return subset(expected, actual, '');
    case 'merged-tree':
      return exact(canonicalTree(expected, []), canonicalTree(actual, []), '');
    case 'exact-service': {
      const out: string[] = [];
      const exp = (expected as { services?: Record<string, unknown> }).services ?? {};
      const act = (actual as { services?: Record<string, unknown> }).services ?? {};
      for (const [name, svc] of Object.entries(exp)) {
        out.push(...exact(dropEmptyMaps(svc), dropEmptyMaps(act[name]), `/services/${name}`));
      }
      return out;
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 200 ? s.slice(0, 200) + '…' : s;
}

function exact(e: unknown, a: unknown, at: string): string[] {
  if (Array.isArray(e)) {
    if (!Array.isArray(a)) return [`${at || '/'}: expected a list ${show(e)}, got ${show(a)}`];
    if (e.length !== a.length) return [`${at || '/'}: expected ${e.length} items ${show(e)}, got ${a.length} ${show(a)}`];
    return e.flatMap((x, i) => exact(x, a[i], `${at}/${i}`));
  }
  if (isObject(e)) {
    if (!isObject(a)) return [`${at || '/'}: expected a map ${show(e)}, got ${show(a)}`];
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    const out: string[] = [];
    for (const k of [...keys].sort()) {
      if (!(k in e)) out.push(`${at}/${k}: unexpected ${show(a[k])}`);
      else if (!(k in a)) out.push(`${at}/${k}: missing, expected ${show(e[k])}`);
      else out.push(...exact(e[k], a[k], `${at}/${k}`));
    }
    return out;
  }
  return Object.is(e, a) || (e === null && a === null) ? [] : [`${at || '/'}: expected ${show(e)}, got ${show(a)}`];
}

function subset(e: unknown, a: unknown, at: string): string[] {
  if (Array.isArray(e)) {
    if (!Array.isArray(a)) return [`${at || '/'}: expected a list ${show(e)}, got ${show(a)}`];
    if (e.length !== a.length) return [`${at || '/'}: expected ${e.length} items ${show(e)}, got ${a.length} ${show(a)}`];
    return e.flatMap((x, i) => subset(x, a[i], `${at}/${i}`));
  }
  if (isObject(e)) {
    if (!isObject(a)) return [`${at || '/'}: expected a map ${show(e)}, got ${show(a)}`];
    return Object.keys(e).flatMap((k) =>
      k in a ? subset(e[k], a[k], `${at}/${k}`) : [`${at}/${k}: missing, expected ${show(e[k])}`],
    );
  }
  return exact(e, a, at);
}

/** Keys whose list form `K=V` equals the map form `{K: V}` in a merged tree. */
const KV_KEYS = new Set(['environment', 'labels', 'annotations', 'args', 'sysctls', 'extra_hosts']);

function canonicalTree(v: unknown, path: string[]): unknown {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  const isKv =
    key !== undefined &&
    KV_KEYS.has(key) &&
    (key !== 'args' || parent === 'build') &&
    (key !== 'labels' || path.length >= 2);
  if (isKv && (Array.isArray(v) || isObject(v))) return kvMap(v, key === 'extra_hosts');
  if (Array.isArray(v)) return v.map((x, i) => canonicalTree(x, [...path, String(i)]));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = canonicalTree(x, [...path, k]);
    return out;
  }
  return scalar(v);
}

function kvMap(v: unknown[] | Record<string, unknown>, hosts: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const sep = hosts ? s.search(/[=:]/) : s.indexOf('=');
      if (sep < 0) out[s] = null;
      else out[s.slice(0, sep)] = s.slice(sep + 1);
    }
  } else {
    for (const [k, x] of Object.entries(v)) out[k] = Array.isArray(x) ? x.map(scalar) : scalar(x);
  }
  return out;
}

function scalar(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return v;
}

function dropEmptyMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmptyMaps);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = dropEmptyMaps(x);
      if (isObject(y) && Object.keys(y).length === 0) continue;
      out[k] = y;
    }
    return out;
  }
  return v;
}
