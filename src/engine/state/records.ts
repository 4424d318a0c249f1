/** One JSON record a file (`<dir>/<id>.json`), replaced atomically; what the engine keeps per resource. */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from './atomic';

export class RecordStore<T> {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new Error(`invalid record id ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  get(id: string): T | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(id), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  put(id: string, record: T): void {
    writeJsonAtomic(this.file(id), record);
  }

  remove(id: string): void {
    fs.rmSync(this.file(id), { force: true });
  }

  /**
   * Every record, sorted by id (temp files of unfinished writes are not records). One that cannot
   * be read or fails `valid` is left out, so one bad file never hides the others; `readAll`
   * names them.
   */
  list(valid?: (record: unknown, id: string) => boolean): { id: string; record: T }[] {
    return this.readAll(valid).records;
  }

  readAll(valid?: (record: unknown, id: string) => boolean): {
    records: { id: string; record: T }[];
    unreadable: UnreadableRecord[];
  } {
    const records: { id: string; record: T }[] = [];
    const unreadable: UnreadableRecord[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return { records, unreadable };
    }
    for (const n of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const id = n.slice(0, -'.json'.length);
      let record: T | undefined;
      try {
        record = this.get(id);
      } catch (err) {
        unreadable.push({ id, file: path.join(this.dir, n), reason: (err as Error).message });
        continue;
      }
      if (record === undefined) continue; // removed meanwhile
      if (valid && !valid(record, id)) {
        unreadable.push({ id, file: path.join(this.dir, n), reason: 'not a record of the expected shape' });
        continue;
      }
      records.push({ id, record });
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
