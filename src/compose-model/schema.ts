// OWNER: validate/normalize helper. Stub.
import type { ParsedFile } from './source';

/** Validates one file against schemas/compose-spec.json (precompiled); throws ComposeError at the value's location. */
export function validateSchema(pf: ParsedFile): void {
  void pf;
}
