/**
 * docker's `--env-file` / `--label-file` format: `KEY=VALUE` lines taken literally (no quotes, no
 * expansion), `#` comments, blank lines skipped, leading blanks dropped; a bare `KEY` takes its
 * value from `lookup` (the environment), else it stays a bare key.
 */
import { UsageError } from './usage';

export function parseKeyValueFile(text: string, lookup?: (key: string) => string | undefined): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).replace(/^[ \t]+/, '');
    if (/[ \t]/.test(key)) throw badKey(`variable '${key}' contains whitespaces`);
    if (key === '') throw badKey(`no variable name on line '${line}'`);
    if (eq >= 0) {
      out.push(`${key}=${line.slice(eq + 1)}`);
      continue;
    }
    const value = lookup?.(key);
    out.push(value === undefined ? key : `${key}=${value}`);
  }
  return out;
}

function badKey(msg: string): UsageError {
  return new UsageError(`poorly formatted environment: ${msg}`);
}

/** `KEY=VALUE` or `KEY` (empty value) entries as a map, later entries winning. */
export function toMap(entries: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    map[eq < 0 ? e : e.slice(0, eq)] = eq < 0 ? '' : e.slice(eq + 1);
  }
  return map;
}
