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

  /** Every record, sorted by id (temp files of unfinished writes are not records). */
  list(): { id: string; record: T }[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .sort()
      .map((n) => n.slice(0, -'.json'.length))
      .flatMap((id) => {
        const record = this.get(id);
        return record === undefined ? [] : [{ id, record }];
      });
  }
}
