/**
 * The records of one kind (containers; networks and volumes next) held in memory and written
 * through to their files, as moby's container memory store: read once at the daemon's start, so
 * finding one by id, id prefix or a secondary key (a name), and listing them all, read no file.
 * The daemon is the only writer of its state root (it holds the engine lock), so the memory
 * never goes stale behind its back.
 *
 * Every write replaces the record's file atomically. One that fails (a full disk) still changes
 * the memory, which is the truth served; the file keeps the previous version until `flush`
 * writes it, so a state change the engine has made already is not undone by a disk with no room
 * to note it.
 *
 * `get` answers a copy: a caller may change it before it saves, or never, and the index only
 * sees what is saved. `values` lends the index's own objects, for reading only.
 */
import { RecordStore, type UnreadableRecord } from './records';
import { upgrade, type Migrations } from './record-version';

export interface IndexedRecord {
  id: string;
  version: number;
}

export interface RecordIndexOptions<T, K extends string> {
  dir: string;
  /** The schema version this build writes. */
  version: number;
  migrations: Migrations;
  /** Whether a record (brought to the current version) has the fields its readers rely on. */
  valid: (record: unknown, id: string) => boolean;
  /** Secondary keys (a record's name): each maps a record to its key, or none. */
  keys: { readonly [key in K]: (record: T) => string | undefined };
}

export interface LoadReport {
  /** Files that are not records: the caller sets them aside. */
  unreadable: UnreadableRecord[];
  /** Records of a newer schema than this build's: left as they are on disk, not served. */
  newer: { id: string; file: string; version: number }[];
  /** Ids of records brought from an older version (and written back). */
  migrated: string[];
  /** The first failed write back: those records are unsaved, as after any failed `save`. */
  writeError?: Error;
}

export class RecordIndex<T extends IndexedRecord, K extends string = never> {
  readonly store: RecordStore;
  private readonly records = new Map<string, T>();
  private readonly byKey = new Map<K, Map<string, Set<string>>>();
  /** Ids whose file is behind their record in memory (a write that failed). */
  private readonly unsaved = new Set<string>();

  constructor(private readonly o: RecordIndexOptions<T, K>) {
    this.store = new RecordStore(o.dir);
    for (const key of Object.keys(o.keys) as K[]) this.byKey.set(key, new Map());
  }

  /**
   * Reads every record file into memory (what was there before is dropped). Older records are
   * migrated and written back; a failed write back keeps them unsaved, as any other write.
   */
  load(): LoadReport {
    for (const id of [...this.records.keys()]) this.drop(id);
    this.unsaved.clear();
    const { records, unreadable } = this.store.readAll();
    const report: LoadReport = { unreadable, newer: [], migrated: [] };
    for (const { id, raw } of records) {
      const file = this.store.file(id);
      const up = upgrade(raw, this.o.version, this.o.migrations);
      if ('newer' in up) {
        report.newer.push({ id, file, version: up.newer });
      } else if ('error' in up) {
        unreadable.push({ id, file, reason: up.error });
      } else if (up.record.id !== id) {
        // Held under its id and written back to that id's file: it must be the file's own.
        unreadable.push({ id, file, reason: `its id is not its file's (${JSON.stringify(up.record.id)})` });
      } else if (!this.o.valid(up.record, id)) {
        unreadable.push({ id, file, reason: 'not a record of the expected shape' });
      } else {
        const record = up.record as unknown as T;
        if (up.from === this.o.version) this.index(record);
        else {
          report.migrated.push(id);
          const err = this.save(record);
          if (err) report.writeError ??= err;
        }
      }
    }
    return report;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** A copy of the record, to change and save. */
  get(id: string): T | undefined {
    const r = this.records.get(id);
    return r === undefined ? undefined : structuredClone(r);
  }

  /** The ids of the records whose `key` is `value`, sorted. */
  idsBy(key: K, value: string): string[] {
    return [...(this.byKey.get(key)?.get(value) ?? [])].sort();
  }

  /**
   * The ids that start with `prefix`, sorted. A scan of the ids in memory: a few thousand string
   * compares are well under a millisecond, less than a trie would cost to keep up.
   */
  idsWithPrefix(prefix: string): string[] {
    const ids: string[] = [];
    for (const id of this.records.keys()) if (id.startsWith(prefix)) ids.push(id);
    return ids.sort();
  }

  /** Every id, sorted. */
  ids(): string[] {
    return [...this.records.keys()].sort();
  }

  /** The records themselves, in no order: for reading, never to change. */
  values(): IterableIterator<Readonly<T>> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }

  /** Writes the record, then holds it; throws (the index and the file unchanged) when the write fails. */
  put(record: T): void {
    const copy = this.stamped(record);
    this.store.write(copy.id, copy);
    this.index(copy);
    this.unsaved.delete(copy.id);
  }

  /**
   * Holds the record, then writes it; a write that fails keeps it unsaved (served from memory,
   * written by a later write or `flush`) and answers the error.
   */
  save(record: T): Error | undefined {
    const copy = this.stamped(record);
    this.index(copy);
    try {
      this.store.write(copy.id, copy);
      this.unsaved.delete(copy.id);
      return undefined;
    } catch (err) {
      this.unsaved.add(copy.id);
      return err as Error;
    }
  }

  /** Tries to write the records kept in memory only; how many are still unwritten. */
  flush(): number {
    for (const id of [...this.unsaved]) {
      const record = this.records.get(id);
      try {
        if (record) this.store.write(id, record);
        this.unsaved.delete(id);
      } catch {
        return this.unsaved.size;
      }
    }
    return 0;
  }

  get unsavedCount(): number {
    return this.unsaved.size;
  }

  /** Deletes the file, then forgets the record; a failed delete throws with the record still held. */
  remove(id: string): void {
    this.store.remove(id);
    this.drop(id);
    this.unsaved.delete(id);
  }

  /** Moves a file `load` could not read out of the way (`<id>.json.corrupt`); its new path. */
  setAside(bad: UnreadableRecord): string {
    return this.store.setAside(bad);
  }

  private stamped(record: T): T {
    // Checked before it is held: an id that cannot name a file never enters the index.
    this.store.file(record.id);
    return { ...structuredClone(record), version: this.o.version };
  }

  private index(record: T): void {
    this.drop(record.id);
    this.records.set(record.id, record);
    for (const [key, byValue] of this.byKey) {
      const value = this.o.keys[key](record);
      if (value === undefined) continue;
      let ids = byValue.get(value);
      if (!ids) byValue.set(value, (ids = new Set()));
      ids.add(record.id);
    }
  }

  private drop(id: string): void {
    const old = this.records.get(id);
    if (!old) return;
    this.records.delete(id);
    for (const [key, byValue] of this.byKey) {
      const value = this.o.keys[key](old);
      if (value === undefined) continue;
      const ids = byValue.get(value);
      ids?.delete(id);
      if (ids?.size === 0) byValue.delete(value);
    }
  }
}
