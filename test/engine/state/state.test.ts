import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordStore } from '../../../src/engine/state/records';
import { writeFileAtomic } from '../../../src/common/atomic';
import { withLock } from '../../../src/platform/linux/file-lock';

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-state-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('records: put, get, list, remove; no temp files left', (t) => {
  const dir = tmp(t);
  const store = new RecordStore<{ n: number }>(path.join(dir, 'containers'));
  assert.equal(store.get('a'), undefined);
  store.put('b', { n: 2 });
  store.put('a', { n: 1 });
  store.put('a', { n: 3 });
  assert.deepEqual(store.list(), [
    { id: 'a', record: { n: 3 } },
    { id: 'b', record: { n: 2 } },
  ]);
  store.remove('a');
  assert.deepEqual(
    store.list().map((r) => r.id),
    ['b'],
  );
  assert.deepEqual(fs.readdirSync(path.join(dir, 'containers')), ['b.json']);
  assert.throws(() => store.put('../x', { n: 0 }), /invalid record id/);
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
