// OWNER: validate/normalize helper. Stub.
import type { ParsedFile } from './source';

/** The checks the schema cannot do (cycles, references, …), on the merged model. */
export function checkConsistency(model: ParsedFile): void {
  void model;
}
