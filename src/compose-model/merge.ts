/**
 * Several compose files merged in order with compose-go's rules (merge-rules.ts): maps merge,
 * a few attributes are replaced, key=value attributes meet as sequences, other sequences are
 * appended and then made unique by their key (target, published port, path…), `!reset` removes
 * and `!override` replaces. Locations travel with the values: whatever an override file wrote
 * points into that file, whatever it left alone still points where the base file wrote it.
 */
import { ComposeError } from '../common/errors';
import { indexerAt, mergeRuleAt } from './merge-rules';
import {
  OverrideTag,
  ResetTag,
  isObj,
  segment,
  type Loc,
  type LocMap,
  type Obj,
  type ParsedFile,
  type Tree,
} from './source';

/** Where the pieces of a value were written: its own place and its children's. */
export interface Src {
  own(): Loc | undefined;
  child(key: string | number): Src;
  /** Copies the locations of the whole subtree to `at` in `out`. */
  copy(out: LocMap, at: string): void;
}

const esc = segment;

/** A LocMap with its keys sorted once, so that a subtree is a range found by binary search. */
class LocIndex {
  private readonly keys: string[];
  constructor(readonly map: LocMap) {
    this.keys = [...map.keys()].sort();
  }
  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  copy(ptr: string, out: LocMap, at: string): void {
    const own = this.map.get(ptr);
    if (own) out.set(at, own);
    // '0' is the character after '/': the range holds exactly the keys below `ptr/`.
    const end = this.lowerBound(ptr + '0');
    for (let i = this.lowerBound(ptr + '/'); i < end; i++) {
      out.set(at + this.keys[i].slice(ptr.length), this.map.get(this.keys[i]) as Loc);
    }
  }
}

const indexes = new WeakMap<LocMap, { size: number; index: LocIndex }>();

function indexOf(locs: LocMap): LocIndex {
  const hit = indexes.get(locs);
  if (hit && hit.size === locs.size) return hit.index;
  const index = new LocIndex(locs);
  indexes.set(locs, { size: locs.size, index });
  return index;
}

/** The locations of the value at `ptr` in a file's (or a merged model's) LocMap. */
export function srcAt(locs: LocMap, ptr = ''): Src {
  return {
    own: () => locs.get(ptr),
    child: (k) => srcAt(locs, ptr + esc(k)),
    copy: (out, at) => indexOf(locs).copy(ptr, out, at),
  };
}

/** A value built from others (a list turned into a map…): its own place and its children's. */
function builtSrc(own: Src, children: Map<string, Src>): Src {
  return {
    own: () => own.own(),
    child: (k) => children.get(String(k)) ?? own,
    copy: (out, at) => {
      const loc = own.own();
      if (loc) out.set(at, loc);
      for (const [k, s] of children) s.copy(out, at + esc(k));
    },
  };
}

/** Merge result meaning "the key is removed" (`!reset`). */
const REMOVE = Symbol('remove');
type Merged = unknown;

export function mergeFiles(files: ParsedFile[]): ParsedFile {
  if (files.length === 0) return { file: '', tree: {}, locs: new Map() };
  let locs: LocMap = new Map();
  let tree = take(files[0].tree, srcAt(files[0].locs), locs, '') as Tree;
  for (const f of files.slice(1)) {
    const next: LocMap = new Map();
    tree = mergeValue(tree, srcAt(locs), f.tree, srcAt(f.locs), [], next, '') as Tree;
    locs = next;
  }
  const root = files[0].locs.get('');
  if (root) locs.set('', root);
  return enforceUnicity({ file: files[0].file, tree, locs });
}

/**
 * Merges one service definition onto another (extends uses the multi-file rules). With `locs`,
 * the merged service's locations are written to `locs.out` at `locs.at`.
 */
export function mergeService(
  base: unknown,
  over: unknown,
  locs?: { base: Src; over: Src; out: LocMap; at: string },
): unknown {
  const none = srcAt(new Map());
  const out = locs?.out ?? new Map();
  const clean = take(base, locs?.base ?? none, new Map(), '');
  const merged = mergeValue(
    clean,
    locs?.base ?? none,
    over,
    locs?.over ?? none,
    ['services', 'x'],
    out,
    locs?.at ?? '',
  );
  return merged === REMOVE ? {} : merged;
}

/** The value with `!override` unwrapped and `!reset` entries dropped (fresh maps and lists). */
export function stripTags(v: unknown): unknown {
  return take(v, srcAt(new Map()), new Map(), '');
}

/**
 * A value taken as it is, its locations copied: `!override` unwrapped, `!reset` entries dropped
 * (a reset with nothing under it has nothing to remove).
 */
function take(v: unknown, src: Src, out: LocMap, at: string): unknown {
  if (v instanceof OverrideTag) return take(v.value, src, out, at);
  if (v instanceof ResetTag) return null;
  const own = src.own();
  if (own) out.set(at, own);
  if (Array.isArray(v)) {
    const res: unknown[] = [];
    v.forEach((x, i) => {
      if (!(x instanceof ResetTag)) res.push(take(x, src.child(i), out, at + esc(res.length)));
    });
    return res;
  }
  if (isObj(v)) {
    const res: Obj = {};
    for (const [k, x] of Object.entries(v))
      if (!(x instanceof ResetTag)) res[k] = take(x, src.child(k), out, at + esc(k));
    return res;
  }
  return v;
}

/** `base` is tag-free (already merged); `over` is a file's value, tags included. */
function mergeValue(
  base: unknown,
  bs: Src,
  over: unknown,
  os: Src,
  path: string[],
  out: LocMap,
  at: string,
): Merged | typeof REMOVE {
  if (over instanceof ResetTag) return REMOVE;
  if (over instanceof OverrideTag) return take(over.value, os, out, at);
  const rule = mergeRuleAt(path);
  if (rule) return mergeByRule(rule, base, bs, over, os, path, out, at);
  if (over === null) return take(base, bs, out, at);
  if (isObj(base)) {
    if (!isObj(over)) throw cannotOverride(path, os);
    return mergeMappings(base, bs, over, os, path, out, at);
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(over)) throw cannotOverride(path, os);
    const res = base.map((x, i) => take(x, bs.child(i), out, at + esc(i)));
    const own = os.own() ?? bs.own();
    if (own) out.set(at, own);
    over.forEach((x, i) => {
      if (!(x instanceof ResetTag)) res.push(take(x, os.child(i), out, at + esc(res.length)));
    });
    return res;
  }
  return take(over, os, out, at);
}

function cannotOverride(path: string[], os: Src): ComposeError {
  return new ComposeError(`cannot override ${path.join('.')}`, os.own());
}

function mergeMappings(base: Obj, bs: Src, over: Obj, os: Src, path: string[], out: LocMap, at: string): Obj {
  const own = os.own() ?? bs.own();
  if (own) out.set(at, own);
  const res: Obj = {};
  for (const [k, v] of Object.entries(base)) {
    if (!(k in over)) res[k] = take(v, bs.child(k), out, at + esc(k));
  }
  for (const [k, v] of Object.entries(over)) {
    if (k in base) {
      const m = mergeValue(base[k], bs.child(k), v, os.child(k), [...path, k], out, at + esc(k));
      if (m !== REMOVE) res[k] = m;
    } else if (!(v instanceof ResetTag)) {
      res[k] = take(v, os.child(k), out, at + esc(k));
    }
  }
  // Keep the base's key order, new keys after it.
  const ordered: Obj = {};
  for (const k of [...Object.keys(base), ...Object.keys(over)])
    if (k in res && !(k in ordered)) ordered[k] = res[k];
  return ordered;
}

function mergeByRule(
  rule: NonNullable<ReturnType<typeof mergeRuleAt>>,
  base: unknown,
  bs: Src,
  over: unknown,
  os: Src,
  path: string[],
  out: LocMap,
  at: string,
): Merged {
  switch (rule) {
    case 'override':
      return take(over, os, out, at);
    case 'kv': {
      if (over === null) return take(base, bs, out, at);
      const [b, bsrc] = toKvMap(base, bs);
      const [o, osrc] = toKvMap(over, os);
      // Every key the override names wins, `KEY:` (unset) included.
      const own = os.own() ?? bs.own();
      if (own) out.set(at, own);
      const res: Obj = {};
      for (const [k, v] of Object.entries(b))
        if (!(k in o)) res[k] = take(v, bsrc.child(k), out, at + esc(k));
      for (const [k, v] of Object.entries(o)) {
        if (!(v instanceof ResetTag)) res[k] = take(v, osrc.child(k), out, at + esc(k));
      }
      return res;
    }
    case 'sequence':
    case 'hosts': {
      const right = toSequence(base, bs);
      let left = toSequence(over, os);
      // `KEY: !reset` in a map removes the key from the base.
      const resets = isObj(over) ? Object.keys(over).filter((k) => over[k] instanceof ResetTag) : [];
      const kept = right.filter(([v]) => !resets.includes(String(v).split('=')[0]));
      if (rule === 'hosts') left = left.filter(([v]) => !kept.some(([r]) => r === v));
      const own = os.own() ?? bs.own();
      if (own) out.set(at, own);
      return [...kept, ...left].map(([v, s], i) => take(v, s, out, at + esc(i)));
    }
    case 'depends_on':
    case 'mapping': {
      const dflt = rule === 'depends_on' ? { condition: 'service_started', required: true } : null;
      const [b, bsrc] = toMapping(base, bs, dflt);
      const [o, osrc] = toMapping(over, os, dflt);
      return mergeMappings(b, bsrc, o, osrc, path, out, at);
    }
    case 'build': {
      const [b, bsrc] = toBuild(base, bs);
      const [o, osrc] = toBuild(over, os);
      return mergeMappings(b, bsrc, o, osrc, path, out, at);
    }
    case 'logging': {
      if (over === null || !isObj(base))
        return over === null ? take(base, bs, out, at) : take(over, os, out, at);
      if (!isObj(over)) throw cannotOverride(path, os);
      const sameDriver = !('driver' in over) || !('driver' in base) || over.driver === base.driver;
      return sameDriver ? mergeMappings(base, bs, over, os, path, out, at) : take(over, os, out, at);
    }
    case 'ulimit':
      return take(over, os, out, at);
    case 'ipam':
      return mergeIpamConfig(base, bs, over, os, path, out, at);
  }
}

/** A sequence as compose-go's convertIntoSequence builds it: a map gives sorted `key=value` entries. */
function toSequence(v: unknown, src: Src): [unknown, Src][] {
  if (isObj(v)) {
    const seq: [string, Src][] = [];
    for (const [k, val] of Object.entries(v)) {
      const s = src.child(k);
      if (val instanceof ResetTag) continue;
      const x = val instanceof OverrideTag ? val.value : val;
      if (x === null || x === undefined) seq.push([k, s]);
      else if (Array.isArray(x)) x.forEach((e, i) => seq.push([`${k}=${goValue(e)}`, s.child(i)]));
      else seq.push([`${k}=${goValue(x)}`, s]);
    }
    return seq.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  if (Array.isArray(v)) {
    const seq: [unknown, Src][] = [];
    v.forEach((x, i) => {
      if (!(x instanceof ResetTag)) seq.push([x instanceof OverrideTag ? x.value : x, src.child(i)]);
    });
    return seq;
  }
  if (typeof v === 'string') return [[v, src]];
  return [];
}

/** Go's `%v`, for the scalars a YAML map holds. */
function goValue(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) {
    const s = String(v);
    return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
  }
  return String(v);
}

function toMapping(v: unknown, src: Src, dflt: Obj | null): [Obj, Src] {
  if (isObj(v)) return [v, src];
  if (!Array.isArray(v)) return [{}, src];
  const map: Obj = {};
  const children = new Map<string, Src>();
  v.forEach((x, i) => {
    if (x instanceof ResetTag) return;
    const key = String(x instanceof OverrideTag ? x.value : x);
    map[key] = dflt === null ? null : { ...dflt };
    children.set(key, src.child(i));
  });
  return [map, builtSrc(src, children)];
}

/** `[K=V, K]` as `{K: V, K: null}`; each key keeps the place of the entry it came from. */
function toKvMap(v: unknown, src: Src): [Obj, Src] {
  if (isObj(v)) return [v, src];
  const map: Obj = {};
  const children = new Map<string, Src>();
  toSequence(v, src).forEach(([x, s]) => {
    const str = String(x);
    const i = str.indexOf('=');
    const key = i < 0 ? str : str.slice(0, i);
    map[key] = i < 0 ? null : str.slice(i + 1);
    children.set(key, s);
  });
  return [map, builtSrc(src, children)];
}

function toBuild(v: unknown, src: Src): [Obj, Src] {
  if (typeof v === 'string') return [{ context: v }, builtSrc(src, new Map([['context', src]]))];
  return [isObj(v) ? v : {}, src];
}

/**
 * compose-go's mergeIPAMConfig, faithfully (including how a base entry absorbs every override
 * entry once an override with its subnet exists): entries are matched by subnet.
 */
function mergeIpamConfig(
  base: unknown,
  bs: Src,
  over: unknown,
  os: Src,
  path: string[],
  out: LocMap,
  at: string,
): unknown[] {
  if (!Array.isArray(base) || !Array.isArray(over)) {
    if (over === null) return take(base, bs, out, at) as unknown[];
    throw new ComposeError(`${path.join('.')}: unexpected type`, os.own() ?? bs.own());
  }
  const configs: { value: Obj; srcs: Src[] }[] = [];
  const scratch: LocMap = new Map();
  const none = srcAt(new Map());
  base.forEach((original, bi) => {
    const right = { value: isObj(original) ? { ...original } : {}, srcs: [bs.child(bi)] };
    over.forEach((override, oi) => {
      const left = isObj(override) ? override : {};
      if (left.subnet !== right.value.subnet && !configs.some((c) => c.value.subnet === left.subnet)) {
        configs.push({ value: left, srcs: [os.child(oi)] });
        return;
      }
      // compose-go merges into the base entry in place: later matches see the earlier ones.
      const merged = mergeMappings(right.value, none, left, none, path, scratch, '');
      for (const k of Object.keys(right.value)) delete right.value[k];
      Object.assign(right.value, merged);
      right.srcs.push(os.child(oi));
      const i = configs.findIndex((c) => c.value.subnet === right.value.subnet);
      if (i >= 0) configs[i] = right;
      else configs.push(right);
    });
  });
  const own = os.own() ?? bs.own();
  if (own) out.set(at, own);
  return configs.map((c, i) => {
    for (const s of c.srcs) s.copy(out, at + esc(i));
    return take(c.value, none, new Map(), '');
  });
}

/**
 * compose-go's EnforceUnicity: in the sequences of merge-rules.ts's UNICITY table a later entry
 * replaces an earlier one with the same key, in the earlier one's place.
 */
export function enforceUnicity(pf: ParsedFile): ParsedFile {
  const moves: { ptr: string; from: number[] }[] = [];
  const walk = (v: unknown, path: string[], ptr: string): unknown => {
    if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) v[k] = walk(x, [...path, k], ptr + esc(k));
      return v;
    }
    if (!Array.isArray(v)) return v;
    const indexer = indexerAt(path);
    if (!indexer) return v;
    const seq: unknown[] = [];
    const from: number[] = [];
    const seen = new Map<string, number>();
    v.forEach((entry, i) => {
      const key = indexer(entry);
      const j = seen.get(key);
      if (j === undefined) {
        seen.set(key, seq.length);
        seq.push(entry);
        from.push(i);
      } else {
        seq[j] = entry;
        from[j] = i;
      }
    });
    if (from.some((f, i) => f !== i) || from.length !== v.length) moves.push({ ptr, from });
    return seq;
  };
  const tree = walk(structuredClone(pf.tree), [], '') as Tree;
  if (moves.length === 0) return { ...pf, tree };
  const moved = new Set(moves.map((m) => m.ptr));
  const locs: LocMap = new Map();
  const underMoved = (k: string) => {
    for (let i = k.indexOf('/', 1); i > 0; i = k.indexOf('/', i + 1))
      if (moved.has(k.slice(0, i))) return true;
    return false;
  };
  for (const [k, v] of pf.locs) if (!underMoved(k)) locs.set(k, v);
  for (const { ptr, from } of moves) {
    from.forEach((f, i) => srcAt(pf.locs, ptr + esc(f)).copy(locs, ptr + esc(i)));
  }
  return { ...pf, tree, locs };
}
