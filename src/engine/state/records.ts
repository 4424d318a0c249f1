/**
 * One JSON record a file (`<dir>/<id>.json`), replaced atomically: the disk half of a
 * `RecordIndex`, which holds the records in memory and is the only caller.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../common/atomic';

const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class RecordStore {
  constructor(readonly dir: string) {}

  /** Ids become file names: nothing but a plain name ever reaches a path. */
  file(id: string): string {
    if (!RECORD_ID.test(id)) throw new Error(`invalid record id ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  /** Writes the record or throws (a full disk): the file then keeps the previous version, never a torn one. */
  write(id: string, record: unknown): void {
    writeJsonAtomic(this.file(id), record);
  }

  remove(id: string): void {
    fs.rmSync(this.file(id), { force: true });
  }

  /**
   * Every record file parsed, sorted by id (temp files of unfinished writes are not records). One
   * that cannot be read is named in `unreadable`, so one bad file never hides the others.
   */
  readAll(): { records: { id: string; raw: unknown }[]; unreadable: UnreadableRecord[] } {
    const records: { id: string; raw: unknown }[] = [];
    const unreadable: UnreadableRecord[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      names = [];
    }
    const ids = names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
    for (const id of ids) {
      const file = path.join(this.dir, `${id}.json`);
      if (!RECORD_ID.test(id)) {
        unreadable.push({ id, file, reason: 'not a record id' });
        continue;
      }
      try {
        records.push({ id, raw: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile
        unreadable.push({ id, file, reason: (err as Error).message });
      }
    }
    return { records, unreadable };
  }

  /** Moves a record that cannot be read out of the way (`<id>.json.corrupt`); its new path. */
  setAside(bad: UnreadableRecord): string {
    const to = `${bad.file}.corrupt`;
    fs.renameSync(bad.file, to);
    return to;
  }
}

export interface UnreadableRecord {
  id: string;
  file: string;
  reason: string;
}
