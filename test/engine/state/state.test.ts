import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordIndex } from '../../../src/engine/state/record-index';
import { writeFileAtomic } from '../../../src/common/atomic';
import { withLock } from '../../../src/platform/linux/file-lock';

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-state-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('records: put, get, values, remove; no temp files left', (t) => {
  const dir = tmp(t);
  const index = new RecordIndex<{ id: string; version: number; n: number }>({
    dir: path.join(dir, 'containers'),
    version: 1,
    migrations: {},
    valid: () => true,
    keys: {},
  });
  assert.equal(index.get('a'), undefined);
  index.put({ id: 'b', version: 1, n: 2 });
  index.put({ id: 'a', version: 1, n: 1 });
  index.put({ id: 'a', version: 1, n: 3 });
  assert.deepEqual(
    [...index.values()].sort((x, y) => x.id.localeCompare(y.id)),
    [
      { id: 'a', version: 1, n: 3 },
      { id: 'b', version: 1, n: 2 },
    ],
  );
  index.remove('a');
  assert.deepEqual(
    [...index.values()].map((r) => r.id),
    ['b'],
  );
  assert.deepEqual(fs.readdirSync(path.join(dir, 'containers')), ['b.json']);
  assert.throws(() => index.put({ id: '../x', version: 1, n: 0 }), /invalid record id/);
  assert.throws(() => index.save({ id: '../x', version: 1, n: 0 }), /invalid record id/);
  assert.equal(index.has('../x'), false);
});

test('an atomic write that fails leaves the old content and no temp file', (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'f.json');
  writeFileAtomic(file, 'old');
  fs.mkdirSync(path.join(dir, 'block.json'));
  assert.throws(() => writeFileAtomic(path.join(dir, 'block.json'), 'x'));
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['block.json', 'f.json']);
});

test('the lock serializes read-modify-write across processes', async (t) => {
  const dir = tmp(t);
  const counter = path.join(dir, 'counter');
  fs.writeFileSync(counter, '0');
  const lockModule = require.resolve('../../../src/platform/linux/file-lock');
  const script = `
    const fs = require('fs');
    const { withLock } = require(${JSON.stringify(lockModule)});
    (async () => {
      for (let i = 0; i < 40; i++) {
        await withLock(${JSON.stringify(path.join(dir, 'lock'))}, async () => {
          const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8'));
          await new Promise((r) => setImmediate(r));
          fs.writeFileSync(${JSON.stringify(counter)}, String(n + 1));
        });
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const runs = Array.from(
    { length: 4 },
    () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
        child.on('exit', resolve);
      }),
  );
  assert.deepEqual(await Promise.all(runs), [0, 0, 0, 0]);
  assert.equal(fs.readFileSync(counter, 'utf8'), '160');
});

test('a held lock times out with a clear error, and a dead holder releases it', async (t) => {
  const dir = tmp(t);
  const lock = path.join(dir, 'lock');
  const lockModule = require.resolve('../../../src/platform/linux/file-lock');
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(lockModule)}).withLock(${JSON.stringify(lock)}, () => { console.log('held'); setInterval(() => {}, 1000); return new Promise(() => {}); })`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.after(() => holder.kill('SIGKILL'));
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  await assert.rejects(
    withLock(lock, () => 1, 200),
    /timed out after 200 ms waiting for the lock/,
  );
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  assert.equal(await withLock(lock, () => 'got it', 5000), 'got it');
});
