// OWNER: env helper. Stub.
import type { Lookup } from './interpolate';

/** Parses a .env file; `lookup` answers `${VAR}` and bare `KEY` lines from the OS environment. */
export function parseDotenv(text: string, file: string, lookup: Lookup): Record<string, string> {
  void text;
  void file;
  void lookup;
  return {};
}
