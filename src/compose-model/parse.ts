// OWNER: model-core helper. Stub.
import type { ParsedFile } from './source';

/** YAML text → plain tree + locations; `!reset`/`!override` become ResetTag/OverrideTag. */
export function parseYaml(text: string, file: string): ParsedFile {
  void text;
  return { file, tree: {}, locs: new Map() };
}
