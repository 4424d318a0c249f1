// OWNER: model-core helper. Stub.
import type { FileContext } from './loader';
import type { ParsedFile } from './source';

/** Resolves `extends` of every service of one file (other files through ctx.loadFile). */
export function applyExtends(pf: ParsedFile, ctx: FileContext): ParsedFile {
  void ctx;
  return pf;
}
