/** The engine's ID in `docker info`: made once, kept in the state root like dockerd's engine-id file. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../common/atomic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function engineId(root: string): string {
  const file = path.join(root, 'engine-id');
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    if (UUID.test(id)) return id;
  } catch {
    // not made yet
  }
  const id = crypto.randomUUID();
  writeFileAtomic(file, `${id}\n`);
  return id;
}
