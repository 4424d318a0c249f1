/**
 * Container lookups from the index, in docker's order: a full id, then an exact name (with or
 * without its slash), then a unique id prefix; an ambiguous prefix and an unknown reference are
 * docker's errors. A name that another container's id starts with is the name.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CONTAINER_RECORD_VERSION, ContainerIndex } from '../../../src/engine/containers/container-index';
import { initialState, type ContainerRecord } from '../../../src/engine/containers/record';

/** The fields the shape check reads; the rest of a record does not matter here. */
function record(id: string, name: string): ContainerRecord {
  return {
    id,
    version: CONTAINER_RECORD_VERSION,
    name,
    created: '2026-12-02T00:00:00.000Z',
    image: 'busybox',
    imageId: 'sha256:0',
    config: {},
    hostConfig: {},
    state: initialState(),
    restartCount: 0,
    logPath: `/x/${id}-json.log`,
    spec: {
      cgroup: { parent: 'p', name: id },
      process: { args: ['true'] },
      stdio: { stdoutPath: '/x/out', stderrPath: '/x/err' },
    },
  } as unknown as ContainerRecord;
}

test('lookups by full id, name and unique prefix, in docker order, with its errors', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-containers-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = 'ab'.padEnd(64, '1');
  const b = 'ac'.padEnd(64, '2');
  const c = 'dd'.padEnd(64, '3');
  const index = new ContainerIndex(dir);
  index.put(record(a, 'web'));
  index.put(record(b, 'db'));
  index.put(record(c, 'ab')); // a name that is also a prefix of a's id

  const found = (ref: string): string => index.find(ref).name;
  assert.equal(found(a), 'web');
  assert.equal(found('db'), 'db');
  assert.equal(found('/db'), 'db');
  assert.equal(found('ac'), 'db');
  assert.equal(found('ab'), 'ab', 'an exact name goes before an id prefix');
  assert.equal(found('ab1'), 'web');
  assert.throws(() => index.find('a'), {
    message: 'multiple IDs found with provided prefix: a',
    kind: 'invalid-argument',
  });
  assert.throws(() => index.find('nope'), { message: 'No such container: nope', kind: 'not-found' });
  assert.throws(() => index.find(''), { message: 'No such container: ', kind: 'not-found' });

  // Reloaded from its files, the same answers.
  const again = new ContainerIndex(dir);
  assert.deepEqual(again.load(), { unreadable: [], newer: [], migrated: [] });
  assert.equal(again.find('ab').id, c);
  assert.equal(again.holderOf('web')?.id, a);
  // What find answers is a copy.
  again.find('web').name = 'changed';
  assert.equal(again.find('web').id, a);
});
