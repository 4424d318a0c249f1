/**
 * Schema versions of records. Every record carries `version`; one of an older version is brought
 * to the current one at load, a step at a time, so the code that serves records only ever sees
 * the current shape. One of a newer version (written by a newer build, before a downgrade) is
 * not ours to read or to rewrite.
 */

export type Migration = (record: Record<string, unknown>) => Record<string, unknown>;

/** `steps[v]` turns a record of version `v` into one of version `v + 1`. */
export type Migrations = Readonly<Record<number, Migration>>;

/** Records written before versions existed carry none: they are version 1. */
export const UNVERSIONED = 1;

export type Upgraded =
  { record: Record<string, unknown>; from: number } | { newer: number } | { error: string };

export function upgrade(raw: unknown, current: number, steps: Migrations): Upgraded {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'not a JSON object' };
  let record = raw as Record<string, unknown>;
  const from = record.version ?? UNVERSIONED;
  if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < UNVERSIONED)
    return { error: `not a schema version: ${JSON.stringify(from)}` };
  if (from > current) return { newer: from };
  for (let v = from; v < current; v++) {
    const step = steps[v];
    if (!step) return { error: `no migration from schema version ${v}` };
    try {
      record = step(record);
    } catch (err) {
      return { error: `migrating from schema version ${v}: ${(err as Error).message}` };
    }
  }
  return { record: { ...record, version: current }, from };
}
