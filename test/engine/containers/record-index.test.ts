/**
 * The engine keeps its container records in memory from its start: a record written by the
 * builds before schema versions loads through the migration and is written back at the current
 * version, one of a newer schema is left alone, and lookups and lists never read a record file
 * again (one garbled under the running engine changes no answer).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CONTAINER_RECORD_VERSION } from '../../../src/engine/containers/container-index';
import { startTestEngine, type TestEngine } from '../../helpers/engine';

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

test('a record of the first schema loads through the migration; lookups and ls then read no file', async (t) => {
  const first = await startTestEngine();
  /** The one to close: the second engine on the same root, once started. */
  let last: TestEngine = first;
  t.after(() => last.close());
  const { Id } = await first.engine.createContainer({ Image: 'busybox', Cmd: ['echo', 'hi'] }, 'elder');
  await first.engine.close();
  const dir = path.join(first.root, 'containers');
  const file = path.join(dir, `${Id}.json`);
  const record = readJson(file);
  assert.equal(record.version, CONTAINER_RECORD_VERSION);
  // As the builds before versions wrote it: the same fields, no version.
  delete record.version;
  fs.writeFileSync(file, JSON.stringify(record, null, 2), { mode: 0o600 });
  const futureId = crypto.randomBytes(32).toString('hex');
  const future = JSON.stringify({ ...record, id: futureId, name: 'future', version: 99 });
  fs.writeFileSync(path.join(dir, `${futureId}.json`), future, { mode: 0o600 });

  last = await startTestEngine({ root: first.root });
  const e = last.engine;
  assert.equal((await e.inspectContainer('elder')).Id, Id);
  assert.equal(readJson(file).version, CONTAINER_RECORD_VERSION, 'not written back at the current version');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  // A newer build's record: neither served nor rewritten.
  assert.deepEqual(
    (await e.listContainers({ all: true })).map((c) => c.Names),
    [['/elder']],
  );
  await assert.rejects(e.inspectContainer('future'), /No such container: future/);
  assert.equal(fs.readFileSync(path.join(dir, `${futureId}.json`), 'utf8'), future);
  fs.rmSync(path.join(dir, `${futureId}.json`));

  // From memory now: a record file garbled under the running engine changes no answer.
  fs.writeFileSync(file, '\0garbled');
  assert.deepEqual(
    (await e.listContainers({ all: true })).map((c) => c.Id),
    [Id],
  );
  assert.equal((await e.inspectContainer(Id.slice(0, 10))).Name, '/elder');
  await e.startContainer('elder');
  assert.equal((await e.waitContainer('elder')).StatusCode, 0);
  // Each change is written through: the file is whole again.
  assert.equal((readJson(file).state as { Status: string }).Status, 'exited');
  await e.removeContainer('elder');
  assert.ok(!fs.existsSync(file));
  await assert.rejects(e.inspectContainer(Id), /No such container/);
});
