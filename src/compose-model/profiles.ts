// OWNER: validate/normalize helper. Stub.
import type { ParsedFile, Tree } from './source';

/** Keeps the services enabled by `profiles` (and those they depend on); returns the others apart. */
export function applyProfiles(model: ParsedFile, profiles: string[]): { model: ParsedFile; disabled: Tree } {
  void profiles;
  return { model, disabled: {} };
}
