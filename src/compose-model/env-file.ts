/** A service's `env_file` entries read and merged (later files win), as compose-go does. */
import fs from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../common/errors';
import { parseDotenv } from './dotenv';
import type { Lookup } from './interpolate';

export function readEnvFiles(entries: unknown, baseDir: string, lookup: Lookup): Record<string, string> {
  const list = entries === undefined || entries === null ? [] : Array.isArray(entries) ? entries : [entries];
  const out: Record<string, string> = {};
  for (const e of list) {
    const spec = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : { path: String(e) };
    const file = path.resolve(baseDir, String(spec.path));
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      if (spec.required === false) continue;
      throw new ComposeError(
        `env file ${file} not found: stat ${file}: no such file or directory`,
        undefined,
        {
          exitCode: 14,
        },
      );
    }
    Object.assign(
      out,
      parseDotenv(text, file, (k) => out[k] ?? lookup(k)),
    );
  }
  return out;
}

/** env_file values under the explicit `environment`; bare entries (null) taken from lookup when set. */
export function resolveServiceEnvironment(
  environment: Record<string, string | null>,
  fromFiles: Record<string, string>,
  lookup: Lookup,
): Record<string, string | null> {
  const out: Record<string, string | null> = { ...fromFiles };
  for (const [k, v] of Object.entries(environment)) {
    out[k] = v === null ? (lookup(k) ?? fromFiles[k] ?? null) : v;
  }
  return out;
}
