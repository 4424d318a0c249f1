// OWNER: validate/normalize helper. Stub.
import type { ParsedFile } from './source';

export interface NormalizeOptions {
  projectName: string;
  projectDir: string;
  environment: Record<string, string>;
  resolvePaths: boolean;
  resolveEnvironment: boolean;
}

/** Canonical long forms, default network, resource names, absolute paths. */
export function normalizeModel(model: ParsedFile, opts: NormalizeOptions): ParsedFile {
  void opts;
  return model;
}
