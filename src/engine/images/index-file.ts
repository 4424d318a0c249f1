/**
 * The two files of the tag index (`images.json`, `repositories.json`) on disk: each write keeps
 * the previous copy as `<file>.bak` (a hard link to the old inode, so the file itself never
 * goes missing) and replaces the file atomically. A file that cannot be read — cut short, not
 * JSON, the wrong shape, gone while its copy is there — is damage: its valid entries are kept,
 * the copy fills in the rest, the caller rebuilds what it can from the images' own blobs, and
 * one line names the file. Nothing here ever turns "unreadable" into "empty".
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../common/atomic';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** What was read of one index file, and what was wrong with it. */
export interface IndexRead<T> {
  value: Record<string, T>;
  /** Why the file was not taken as it is; undefined when it was. */
  damage?: string;
  /** The copy supplied some entries. */
  fromBackup?: boolean;
}

/** A check of one entry: its value when valid, undefined when not. */
export type EntryCheck<T> = (key: string, value: unknown) => T | undefined;

export function backupOf(file: string): string {
  return `${file}.bak`;
}

/** Reads `file`, falling back on its copy for what it lacks when it is damaged. */
export function readIndexFile<T>(file: string, check: EntryCheck<T>): IndexRead<T> {
  const main = parse(file, check);
  if (!main.damage) return { value: main.value };
  if (main.missing && !fs.existsSync(backupOf(file))) return { value: {} }; // a new store
  const bak = parse(backupOf(file), check);
  const fromBackup = !bak.damage && Object.keys(bak.value).some((k) => !(k in main.value));
  return { value: { ...(bak.damage ? {} : bak.value), ...main.value }, damage: main.damage, fromBackup };
}

/** Replaces `file` atomically; the file it replaces stays as the copy. */
export function writeIndexFile(file: string, value: unknown): void {
  try {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.bak.${process.pid}.tmp`);
    fs.rmSync(tmp, { force: true });
    fs.linkSync(file, tmp);
    fs.renameSync(tmp, backupOf(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeJsonAtomic(file, value);
}

/**
 * Keeps a damaged file beside the index for a human to look at, rather than overwriting it.
 * The copy of the last good state must survive the repair's own write, so it is not rotated.
 */
export function setAside(file: string): void {
  try {
    fs.renameSync(file, `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Writes the repaired file without rotating the damaged one into the copy. */
export function writeRepaired(file: string, value: unknown): void {
  setAside(file);
  writeJsonAtomic(file, value);
}

interface Parsed<T> {
  value: Record<string, T>;
  damage?: string;
  missing?: boolean;
}

function parse<T>(file: string, check: EntryCheck<T>): Parsed<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { value: {}, damage: code === 'ENOENT' ? 'it is missing' : `unreadable: ${code}`, missing: true };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { value: {}, damage: text.trim() === '' ? 'it is empty' : 'it is not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { value: {}, damage: 'it is not a JSON object' };
  const value: Record<string, T> = {};
  let bad = 0;
  for (const [k, v] of Object.entries(data)) {
    const ok = check(k, v);
    if (ok === undefined) bad++;
    else value[k] = ok;
  }
  return bad
    ? { value, damage: `${bad} entr${bad === 1 ? 'y has' : 'ies have'} the wrong shape` }
    : { value };
}

/** A tag: a reference (checked loosely: the store normalizes what it writes) to a manifest digest. */
export const checkTag: EntryCheck<string> = (key, value) =>
  key.length > 0 && key.length <= 512 && typeof value === 'string' && DIGEST.test(value) ? value : undefined;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}
