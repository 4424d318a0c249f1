/**
 * Validates one file (after interpolation) against schemas/compose-spec.json with the validator
 * precompiled at build time, and words the first error as compose-go does, at the location
 * where the offending value was written.
 */
import type { ErrorObject } from 'ajv';
import { ComposeError } from '../common/errors';
import validate from './generated/compose-spec-validator';
import { OverrideTag, ResetTag, locate, splitPointer, type ParsedFile } from './source';

export function validateSchema(pf: ParsedFile): void {
  const data = unwrapTags(pf.tree) as Record<string, unknown>;
  // A service written with no body (`nil:`) is an empty service for compose-go, not an error.
  const services = data.services;
  if (services && typeof services === 'object' && !Array.isArray(services)) {
    for (const [k, v] of Object.entries(services))
      if (v === null) (services as Record<string, unknown>)[k] = {};
  }
  if (validate(data)) return;
  const err = pickError(validate.errors ?? []);
  if (!err) throw new ComposeError('invalid compose file', locate(pf.locs, ''));
  const { message, ptr } = describe(err);
  throw new ComposeError(message, locate(pf.locs, ptr), { code: 'SCHEMA' });
}

/** `!override` values are validated as written; `!reset` keys are left out (they only remove). */
function unwrapTags(v: unknown): unknown {
  if (v instanceof OverrideTag) return unwrapTags(v.value);
  if (Array.isArray(v)) return v.filter((x) => !(x instanceof ResetTag)).map(unwrapTags);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!(x instanceof ResetTag)) out[k] = unwrapTags(x);
    return out;
  }
  return v;
}

/** The deepest error explains best (a oneOf reports every branch, then itself); first one wins ties. */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    if (!best || depth(e) > depth(best)) best = e;
  }
  return best ?? errors[0];
}

function depth(e: ErrorObject): number {
  return splitPointer(e.instancePath).length + (e.keyword === 'additionalProperties' ? 1 : 0);
}

const TYPE_NAMES: Record<string, string> = {
  object: 'mapping',
  array: 'array',
  string: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  null: 'null',
};

function describe(e: ErrorObject): { message: string; ptr: string } {
  const path = splitPointer(e.instancePath).join('.');
  const subject = path === '' ? '' : `${path} `;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      return {
        message: `${subject}additional properties '${prop}' not allowed`,
        ptr: `${e.instancePath}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      };
    }
    case 'type': {
      const types = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t);
      const unique = [...new Set(types)].sort();
      const list =
        unique.length > 1 ? `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}` : unique[0];
      const article = unique.length > 1 || !/^[aeiou]/.test(list) ? 'a' : 'an';
      return { message: `${path || 'top-level object'} must be ${article} ${list}`, ptr: e.instancePath };
    }
    case 'required':
      return {
        message: `${subject}missing property '${String(params.missingProperty)}'`,
        ptr: e.instancePath,
      };
    case 'enum':
      return {
        message: `${subject}must be one of the following: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        ptr: e.instancePath,
      };
    case 'pattern':
    case 'format':
      return {
        message: `${subject}does not match ${String(params.pattern ?? params.format)}`,
        ptr: e.instancePath,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return { message: `${path}: ${e.message ?? 'out of range'}`, ptr: e.instancePath };
    case 'uniqueItems':
      return { message: `${subject}array items must be unique`, ptr: e.instancePath };
    default:
      return { message: `${subject}${e.message ?? 'is invalid'}`, ptr: e.instancePath };
  }
}
