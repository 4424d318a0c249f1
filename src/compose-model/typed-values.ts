/**
 * The converters the typed stage is made of: each takes a value of the normalized tree and
 * where it is, and returns it typed or throws a ComposeError at the file:line:col where it was
 * written. Structures are tables of `field: [yaml key, converter]`, so the schema-walk test can
 * read which keys have a typed field.
 */
import { ComposeError } from '../common/errors';
import { parseDuration, ramInBytes, UnitError } from '../common/units';
import { splitShellWords } from './shell-words';
import { isObj, locate, pointer, type LocMap, type Obj } from './source';

/** Where a value is: a chain of keys from the root, made into a path only for an error. */
export class Where {
  constructor(
    private readonly locs: LocMap,
    private readonly parent?: Where,
    private readonly key?: string | number,
  ) {}

  child(key: string | number): Where {
    return new Where(this.locs, this, key);
  }

  get path(): (string | number)[] {
    return this.parent ? [...this.parent.path, this.key as string | number] : [];
  }

  /** `services.web.ports[0].target`, as compose-go names a field in its errors. */
  get name(): string {
    return this.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  }

  fail(detail: string): never {
    throw new ComposeError(`${this.name}: ${detail}`, locate(this.locs, pointer(this.path)), {
      code: 'COMPOSE_INVALID',
    });
  }
}

export type Conv<T> = (v: unknown, w: Where) => T;

/** One converter per typed field, keyed by the field, naming the YAML key it reads. */
export type FieldTable<T> = {
  [K in keyof T]-?: readonly [key: string, conv: Conv<Exclude<T[K], undefined>>];
};

/** A mapping → an object of the table's fields; absent and null keys stay absent, `x-*` go to extensions. */
export function struct<T>(table: FieldTable<T>, withExtensions = false): Conv<T> {
  // By YAML key, so a mapping costs its own keys, not the table's (a service has ~10 of ~95).
  const byKey = new Map<string, readonly [string, Conv<unknown>]>();
  for (const [field, [key, conv]] of Object.entries(table) as [string, readonly [string, Conv<unknown>]][])
    byKey.set(key, [field, conv]);
  return (v, w) => {
    if (!isObj(v)) return w.fail('must be a mapping');
    const out: Obj = {};
    let ext: Obj | undefined;
    for (const key in v) {
      const x = v[key];
      const row = byKey.get(key);
      if (row) {
        if (x !== undefined && x !== null) out[row[0]] = row[1](x, w.child(key));
      } else if (withExtensions && key.startsWith('x-')) (ext ??= {})[key] = x;
    }
    if (ext) out.extensions = ext;
    return out as T;
  };
}

export const str: Conv<string> = (v, w) => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return w.fail('must be a string');
};

/**
 * Go's strconv.ParseBool, and the words compose-go's interpolation casts (`yes`, `on`, `n`…):
 * a file written for docker compose must not be refused here.
 */
const TRUE = new Set(['1', 't', 'true', 'y', 'yes', 'on']);
const FALSE = new Set(['0', 'f', 'false', 'n', 'no', 'off']);
export const bool: Conv<boolean> = (v, w) => {
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return w.fail(`strconv.ParseBool: parsing ${JSON.stringify(String(v))}: invalid syntax`);
};

export const int: Conv<number> = (v, w) => {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const s = String(v).trim();
  if (/^[+-]?\d+$/.test(s)) return Number(s);
  return w.fail(`strconv.ParseInt: parsing ${JSON.stringify(String(v))}: invalid syntax`);
};

export const float: Conv<number> = (v, w) => {
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  return w.fail(`strconv.ParseFloat: parsing ${JSON.stringify(String(v))}: invalid syntax`);
};

function units<T>(parse: (s: string) => T, w: Where, s: string): T {
  try {
    return parse(s);
  } catch (err) {
    if (err instanceof UnitError) return w.fail(err.message);
    throw err;
  }
}

/** go-units' RAMInBytes, as compose-go's UnitBytes; a number is bytes already. */
export const bytes: Conv<number> = (v, w) =>
  typeof v === 'number' ? Math.trunc(v) : units(ramInBytes, w, String(v));

/** `memswap_limit: -1` is unlimited swap, not a size. */
export const bytesOrUnlimited: Conv<number> = (v, w) => (v === -1 || v === '-1' ? -1 : bytes(v, w));

/** Nanoseconds; a bare number is seconds, as the loader's canonical stage reads it. */
export const duration: Conv<number> = (v, w) =>
  typeof v === 'number' ? v * 1e9 : units(parseDuration, w, String(v));

/** cpu_rt_period/runtime: microseconds, written as a number or as a duration (`400ms`). */
export const microseconds: Conv<number> = (v, w) =>
  typeof v === 'number' || /^[+-]?\d+$/.test(String(v)) ? int(v, w) : Math.trunc(duration(v, w) / 1e3);

export function list<T>(item: Conv<T>): Conv<T[]> {
  return (v, w) => {
    if (typeof v === 'string') return [item(v, w)];
    if (!Array.isArray(v)) return w.fail('must be a list');
    return v.map((x, i) => item(x, w.child(i)));
  };
}

export function map<T>(value: Conv<T>): Conv<Record<string, T>> {
  return (v, w) => {
    if (!isObj(v)) return w.fail('must be a mapping');
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[k] = value(x, w.child(k));
    return out;
  };
}

export const strings = list(str);
export const nullableString: Conv<string | null> = (v, w) => (v === null ? null : str(v, w));

/** A list_or_dict of the spec: `{K: V}` or `[K=V, K]`; a key without a value gets `bare`. */
function listOrDict<T>(value: Conv<T>, bare: T): Conv<Record<string, T>> {
  const dict = map(value);
  return (v, w) => {
    if (!Array.isArray(v)) return dict(v, w);
    const out: Record<string, T> = {};
    v.forEach((item, i) => {
      const s = str(item, w.child(i));
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = bare;
      else out[s.slice(0, eq)] = value(s.slice(eq + 1), w.child(i));
    });
    return out;
  };
}

/** Labels and options: a key written without a value is the empty string. */
export const stringMap = listOrDict((v, w) => (v === null ? '' : str(v, w)), '');
/** Variables: a key written without a value is named but unset (null). */
export const environment = listOrDict(nullableString, null);

/** `host=ip` entries, from the list or the `{host: ip | [ips]}` form, as the canonical stage writes them. */
export const extraHosts: Conv<string[]> = (v, w) =>
  isObj(v)
    ? Object.entries(v).flatMap(([h, ip]) =>
        (Array.isArray(ip) ? ip : [ip]).map((x) => `${h}=${str(x, w.child(h))}`),
      )
    : strings(v, w);

/** A command as a list of words; a string is split as a shell would (compose-go's ShellCommand). */
export const command: Conv<string[]> = (v, w) => {
  if (typeof v !== 'string') return strings(v, w);
  try {
    return splitShellWords(v);
  } catch (err) {
    return w.fail((err as Error).message);
  }
};
/** Kept as written, for fields the engine does not read (their typed field still exists). */
export const raw: Conv<unknown> = (v) => v;
export function oneOf<T extends string>(values: readonly T[]): Conv<T> {
  return (v, w) => {
    const s = str(v, w);
    if (!(values as readonly string[]).includes(s))
      return w.fail(`must be one of ${values.map((x) => `'${x}'`).join(', ')}`);
    return s as T;
  };
}
