// OWNER: env helper. Stub.
import type { Loc, ParsedFile } from './source';

export type Lookup = (name: string) => string | undefined;

/** Substitutes `$VAR`, `${VAR:-x}`, … in one string; `$$` → `$`. */
export function substitute(template: string, lookup: Lookup, where?: Loc): string {
  void lookup;
  void where;
  return template;
}

/** Interpolates every string value of the tree (keys are not interpolated). */
export function interpolateFile(pf: ParsedFile, lookup: Lookup): ParsedFile {
  void lookup;
  return pf;
}
