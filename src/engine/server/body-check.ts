/**
 * Request bodies checked against the Engine API's shapes before any route sees them, read as
 * dockerd's Go decoder reads them: `null` is an absent field, unknown fields are ignored, a
 * StrSlice may be one string, and a value of the wrong type is a 400 worded as Go's
 * `encoding/json` words it (`json: cannot unmarshal string into Go struct field
 * HostConfig.HostConfig.Memory of type int64`). The validators are precompiled at build
 * (scripts/gen-api-validators.js from ./schemas).
 */
import type { ErrorObject } from 'ajv';
import { InvalidArgumentError } from '../../common/errors';

type Validators = typeof import('./generated/body-validators');
let loaded: Validators | undefined;

/** Loaded on the first body, not while the daemon starts: parsing the validators costs 10–20 ms. */
function validators(): Validators {
  loaded ??= require('./generated/body-validators') as Validators;
  return loaded;
}

export type BodyKind = 'containerCreate' | 'execCreate' | 'execStart' | 'auth';

/** The expanded schema nodes the generator exports: what a mismatch is worded from. */
interface SchemaNode {
  goType: string;
  goStruct?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  items?: SchemaNode;
}

/** A copy without `null`s: Go leaves a field it reads as `null` at its zero value, as if absent. */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(stripNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = stripNulls(v);
  return out;
}

/** The body, nulls stripped and StrSlices made lists, or a InvalidArgumentError in Go's words. */
export function checkBody<T>(kind: BodyKind, raw: unknown): T {
  const body = stripNulls(raw) ?? {};
  const validate = validators()[kind];
  const schema = validators().schemas[kind] as SchemaNode;
  if (!validate(body)) throw new InvalidArgumentError(goMessage(schema, body, validate.errors?.[0]));
  return asLists(schema, body) as T;
}

/** Go's name of a JSON value's kind, as its UnmarshalTypeError gives it. */
function jsonKind(value: unknown, target: SchemaNode): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    // Go quotes the literal when a number does not fit the integer type it was meant for.
    const intTarget = target.type === 'integer';
    return intTarget ? `number ${value}` : 'number';
  }
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // string, object
}

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Go's wording: the struct that holds the field and the path of JSON keys from the root
 * (list indexes and map keys are not part of it), or `Go value of type` at the root.
 */
export function goMessage(root: SchemaNode, body: unknown, err: ErrorObject | undefined): string {
  let node = root;
  let value = body;
  let struct = '';
  const fields: string[] = [];
  for (const key of pointer(err?.instancePath ?? '')) {
    value = (value as Record<string, unknown>)[key];
    const next: SchemaNode | undefined = node.properties?.[key];
    if (next) {
      struct = node.goStruct ?? struct;
      fields.push(key);
      node = next;
    } else {
      node = node.items ?? node.additionalProperties ?? node;
    }
  }
  const what = jsonKind(value, node);
  const into = fields.length ? `Go struct field ${struct}.${fields.join('.')}` : 'Go value';
  return `json: cannot unmarshal ${what} into ${into} of type ${node.goType}`;
}

/** docker's StrSlice fields (Cmd, Entrypoint, CapAdd, ...) given as one string become a list of it. */
function asLists(node: SchemaNode, value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return node.goType === 'strslice.StrSlice' && typeof value === 'string' ? [value] : value;
  }
  if (Array.isArray(value))
    return node.items ? value.map((v) => asLists(node.items as SchemaNode, v)) : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const child = node.properties?.[k] ?? node.additionalProperties;
    out[k] = child ? asLists(child, v) : v;
  }
  return out;
}
