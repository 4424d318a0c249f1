// OWNER: model-core helper. Stub.
import type { ParsedFile } from './source';

/** Merges the files in order with the reference rules; resolves ResetTag/OverrideTag. */
export function mergeFiles(files: ParsedFile[]): ParsedFile {
  return files[files.length - 1];
}
