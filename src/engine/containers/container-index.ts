/**
 * The engine's container records, held in memory (`state/record-index.ts`) and found by id, name
 * or id prefix without reading a file. Their schema versions:
 *   1: the records of the builds before versions (no `version` field);
 *   2: the same fields, with `version`.
 */
import { RecordIndex } from '../state/record-index';
import type { Migrations } from '../state/record-version';
import { lookup } from './names';
import type { ContainerRecord } from './record';
import { isContainerRecord } from './record-shape';

export const CONTAINER_RECORD_VERSION = 2;

const MIGRATIONS: Migrations = {
  // Version 2 only adds the version itself, which the index stamps.
  1: (r) => r,
};

export class ContainerIndex extends RecordIndex<ContainerRecord, 'name'> {
  constructor(dir: string) {
    super({
      dir,
      version: CONTAINER_RECORD_VERSION,
      migrations: MIGRATIONS,
      valid: isContainerRecord,
      keys: { name: (r) => r.name },
    });
  }

  /** A copy of the container `ref` names (docker's order: full id, name, unique id prefix). */
  find(ref: string): ContainerRecord {
    return lookup(
      {
        byId: (id) => this.get(id),
        byName: (name) => this.holderOf(name),
        idsWithPrefix: (prefix) => this.idsWithPrefix(prefix),
      },
      ref,
    );
  }

  /** A copy of the container of that name, if any. */
  holderOf(name: string): ContainerRecord | undefined {
    const [id] = this.idsBy('name', name);
    return id === undefined ? undefined : this.get(id);
  }
}
