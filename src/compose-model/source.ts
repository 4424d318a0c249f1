/**
 * The raw model travels through the loader as a plain JSON-like tree plus a map from model path
 * to the place in a file where that value was written, so every later stage (schema,
 * consistency checks on the merged model, normalization) can point at file:line:col.
 */
import type { SourceLocation } from '../common/errors';

export type Loc = SourceLocation;

/** Key: a JSON pointer into the tree ('' = root, '/services/web/ports/0'). */
export type LocMap = Map<string, Loc>;

export type Tree = Record<string, unknown>;

/** One compose file after parsing (and, later in the pipeline, interpolation). */
export interface ParsedFile {
  file: string; // absolute path, or '-' for stdin
  tree: Tree;
  locs: LocMap;
}

/** `!reset` in a YAML file: the value is removed from the merged model. */
export class ResetTag {
  constructor(readonly value: unknown = null) {}
}

/** `!override` in a YAML file: the value replaces the base value instead of merging with it. */
export class OverrideTag {
  constructor(readonly value: unknown) {}
}

/** One JSON-pointer segment; the common key with neither `~` nor `/` is taken as it is (hot path). */
export function segment(key: string | number): string {
  const s = String(key);
  return s.includes('~') || s.includes('/') ? '/' + s.replace(/~/g, '~0').replace(/\//g, '~1') : '/' + s;
}

export function pointer(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += segment(p);
  return out;
}

export function splitPointer(ptr: string): string[] {
  return ptr === ''
    ? []
    : ptr
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The location of a path, or of its closest ancestor that has one. */
export function locate(locs: LocMap, ptr: string): Loc | undefined {
  let p = ptr;
  for (;;) {
    const loc = locs.get(p);
    if (loc) return loc;
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

export type Obj = Record<string, unknown>;

/** A YAML mapping (not a list, not null). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
