/** One JSON record a file (`<dir>/<id>.json`), replaced atomically; what the engine keeps per resource. */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../common/atomic';

export class RecordStore<T> {
  /**
   * Records `save` could not write (a full disk): served from here, written by a later write or
   * `flush`. The file keeps the previous version meanwhile, never a torn one.
   */
  private readonly unsaved = new Map<string, T>();

  constructor(readonly dir: string) {}

  private file(id: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new Error(`invalid record id ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  get(id: string): T | undefined {
    const kept = this.unsaved.get(id);
    if (kept !== undefined) return structuredClone(kept);
    try {
      return JSON.parse(fs.readFileSync(this.file(id), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Writes the record or throws (the record on disk stays as it was). */
  put(id: string, record: T): void {
    writeJsonAtomic(this.file(id), record);
    this.unsaved.delete(id);
  }

  /**
   * Writes the record; when that fails, keeps it in memory (get and list serve it) and answers
   * the error, so that a state change the engine has made already (a container started, exited,
   * being removed) is not undone by a disk with no room to note it.
   */
  save(id: string, record: T): Error | undefined {
    try {
      this.put(id, record);
      return undefined;
    } catch (err) {
      this.unsaved.set(id, structuredClone(record));
      return err as Error;
    }
  }

  /** Tries to write the records kept in memory; how many are still unwritten. */
  flush(): number {
    for (const [id, record] of [...this.unsaved]) {
      try {
        this.put(id, record);
      } catch {
        return this.unsaved.size;
      }
    }
    return 0;
  }

  get unsavedCount(): number {
    return this.unsaved.size;
  }

  remove(id: string): void {
    this.unsaved.delete(id);
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
      names = [];
    }
    const ids = new Set(
      names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length)),
    );
    for (const id of this.unsaved.keys()) ids.add(id);
    for (const id of [...ids].sort()) {
      const file = path.join(this.dir, `${id}.json`);
      let record: T | undefined;
      try {
        record = this.get(id);
      } catch (err) {
        unreadable.push({ id, file, reason: (err as Error).message });
        continue;
      }
      if (record === undefined) continue; // removed meanwhile
      if (valid && !valid(record, id)) {
        unreadable.push({ id, file, reason: 'not a record of the expected shape' });
        continue;
      }
      records.push({ id, record });
    }
    return { records, unreadable };
  }

  /** Moves a record that cannot be read out of the way (`<id>.json.corrupt`); its new path. */
  setAside(bad: UnreadableRecord): string {
    const to = `${bad.file}.corrupt`;
    this.unsaved.delete(bad.id);
    fs.renameSync(bad.file, to);
    return to;
  }
}

export interface UnreadableRecord {
  id: string;
  file: string;
  reason: string;
}
