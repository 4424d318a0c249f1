// OWNER: model-core helper. Stub.
import type { FileContext } from './loader';
import type { ParsedFile } from './source';

/** Loads the file's `include:` entries (each a project of its own) and merges them in. */
export function applyIncludes(pf: ParsedFile, ctx: FileContext): ParsedFile {
  void ctx;
  return pf;
}
