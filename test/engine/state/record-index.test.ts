/**
 * The record index: lookups by id, secondary key and id prefix served from memory, copies handed
 * out, records of an older schema migrated at load and written back, newer ones left alone, and
 * files that are not records reported for setting aside.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { RecordIndex } from '../../../src/engine/state/record-index';

interface Pet {
  id: string;
  version: number;
  name: string;
  legs: number;
}

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-index-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const isPet = (v: unknown): boolean =>
  typeof (v as Pet).name === 'string' && typeof (v as Pet).legs === 'number';

/** Version 1 had `title` and `feet`; 2 renamed `title` to `name`; 3 counts `legs` (one per foot). */
const pets = (dir: string): RecordIndex<Pet, 'name'> =>
  new RecordIndex<Pet, 'name'>({
    dir,
    version: 3,
    migrations: {
      1: ({ title, ...r }) => ({ ...r, name: title }),
      2: ({ feet, ...r }) => {
        if (typeof feet !== 'number') throw new Error('feet is not a number');
        return { ...r, legs: feet };
      },
    },
    valid: isPet,
    keys: { name: (r) => r.name },
  });

const write = (dir: string, id: string, record: unknown): void => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(record));
};
const onDisk = (dir: string, id: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8'));

test('lookups by id, key and prefix come from memory, and what get answers is a copy', (t) => {
  const dir = tmp(t);
  const index = pets(dir);
  index.put({ id: 'abc1', version: 3, name: 'rex', legs: 4 });
  index.put({ id: 'abd2', version: 3, name: 'tweety', legs: 2 });
  index.put({ id: 'b3', version: 3, name: 'rex', legs: 3 });
  assert.deepEqual(index.idsBy('name', 'rex'), ['abc1', 'b3']);
  assert.deepEqual(index.idsWithPrefix('ab'), ['abc1', 'abd2']);
  assert.deepEqual(index.idsWithPrefix('abc'), ['abc1']);
  assert.deepEqual(index.idsWithPrefix('z'), []);

  // A copy changed and not saved changes nothing; saved, the key follows it.
  const copy = index.get('b3') as Pet;
  copy.name = 'spot';
  assert.equal(index.get('b3')?.name, 'rex');
  index.save(copy);
  assert.deepEqual(index.idsBy('name', 'rex'), ['abc1']);
  assert.deepEqual(index.idsBy('name', 'spot'), ['b3']);
  index.remove('b3');
  assert.deepEqual(index.idsBy('name', 'spot'), []);

  // Nothing is read from disk any more: the files can be gone.
  fs.rmSync(dir, { recursive: true });
  assert.equal(index.get('abd2')?.name, 'tweety');
  assert.deepEqual(index.idsBy('name', 'rex'), ['abc1']);
  assert.equal(index.size, 2);
});

test('a record of an older schema loads through the migrations and is written back at the current one', (t) => {
  const dir = tmp(t);
  write(dir, 'old1', { id: 'old1', title: 'rex', feet: 4 }); // no version: the first schema
  write(dir, 'old2', { id: 'old2', version: 2, name: 'tweety', feet: 2 });
  write(dir, 'cur', { id: 'cur', version: 3, name: 'nemo', legs: 0 });
  const index = pets(dir);
  const report = index.load();
  assert.deepEqual(report, { unreadable: [], newer: [], migrated: ['old1', 'old2'] });
  assert.deepEqual(index.get('old1'), { id: 'old1', version: 3, name: 'rex', legs: 4 });
  assert.deepEqual(index.get('old2'), { id: 'old2', version: 3, name: 'tweety', legs: 2 });
  assert.deepEqual(index.idsBy('name', 'rex'), ['old1']);
  assert.deepEqual(onDisk(dir, 'old1'), { id: 'old1', version: 3, name: 'rex', legs: 4 });
  assert.deepEqual(onDisk(dir, 'cur'), { id: 'cur', version: 3, name: 'nemo', legs: 0 });
  assert.equal(index.unsavedCount, 0);
});

test('a newer record is left as it is; one that cannot be read or migrated is reported', (t) => {
  const dir = tmp(t);
  write(dir, 'future', { id: 'future', version: 9, moniker: 'x' });
  write(dir, 'nofeet', { id: 'nofeet', title: 'ghost' });
  write(dir, 'shapeless', { id: 'shapeless', version: 3, name: 7 });
  write(dir, 'badversion', { id: 'badversion', version: '3', name: 'a', legs: 1 });
  write(dir, 'array', [1, 2]);
  write(dir, 'misnamed', { id: 'other', version: 3, name: 'b', legs: 1 });
  fs.writeFileSync(path.join(dir, 'cut.json'), '{"id": "cut", "ver');
  fs.writeFileSync(path.join(dir, '.cut.json.123.tmp'), '{');
  const before = fs.readFileSync(path.join(dir, 'future.json'), 'utf8');
  const index = pets(dir);
  const report = index.load();
  assert.equal(index.size, 0);
  assert.deepEqual(report.newer, [{ id: 'future', file: path.join(dir, 'future.json'), version: 9 }]);
  assert.equal(fs.readFileSync(path.join(dir, 'future.json'), 'utf8'), before);
  const reasons = Object.fromEntries(report.unreadable.map((u) => [u.id, u.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), [
    'array',
    'badversion',
    'cut',
    'misnamed',
    'nofeet',
    'shapeless',
  ]);
  assert.match(reasons.nofeet, /^migrating from schema version 2: feet is not a number$/);
  assert.match(reasons.badversion, /not a schema version: "3"/);
  assert.match(reasons.shapeless, /not a record of the expected shape/);
  assert.match(reasons.array, /not a JSON object/);
  assert.match(reasons.misnamed, /its id is not its file's \("other"\)/);
  for (const bad of report.unreadable) index.setAside(bad);
  assert.deepEqual(fs.readdirSync(dir).sort(), [
    '.cut.json.123.tmp',
    'array.json.corrupt',
    'badversion.json.corrupt',
    'cut.json.corrupt',
    'future.json',
    'misnamed.json.corrupt',
    'nofeet.json.corrupt',
    'shapeless.json.corrupt',
  ]);
});
