/** What the registry tests share: a temp store per test and a recorder of progress messages. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProgressMessage } from '../../../src/engine-api/registry/api';
import { ImageStore } from '../../../src/engine/images/store';

export function tempStore(t: { after: (fn: () => void) => void }): ImageStore {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-registry-store-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return new ImageStore(root);
}

export interface Recorder {
  events: ProgressMessage[];
  emit: (m: ProgressMessage) => void;
  /** The statuses in order, of one layer id or of all. */
  statuses: (id?: string) => string[];
}

export function recorder(): Recorder {
  const events: ProgressMessage[] = [];
  return {
    events,
    emit: (m) => events.push(m),
    statuses: (id) => events.filter((e) => id === undefined || e.id === id).map((e) => e.status ?? ''),
  };
}

/** Nothing of a failed pull: no partial blob in ingest/, no tag, no image, none of `digests`. */
export function assertNothingLeft(store: ImageStore, digests: string[]): void {
  const ingest = path.join(store.root, 'ingest');
  const partial = fs.existsSync(ingest) ? fs.readdirSync(ingest) : [];
  if (partial.length) throw new Error(`partial blobs left in ingest/: ${partial.join(', ')}`);
  if (Object.keys(store.tags()).length) throw new Error(`tags left: ${JSON.stringify(store.tags())}`);
  if (Object.keys(store.images()).length) throw new Error(`images left: ${JSON.stringify(store.images())}`);
  for (const d of digests) if (store.blobs.has(d)) throw new Error(`blob ${d} left behind`);
}

/** Rejects with an error whose message (not `Name: message`) matches. */
export async function rejectsWith(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.match(err.message, re);
    return true;
  });
}
