import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { withProjectLock } from '../../../../src/cli/compose/project-lock';

const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-project-lock-'));
const saved = process.env.TSCOMPOSE_RUNROOT;
process.env.TSCOMPOSE_RUNROOT = runRoot;
after(() => {
  if (saved === undefined) delete process.env.TSCOMPOSE_RUNROOT;
  else process.env.TSCOMPOSE_RUNROOT = saved;
  fs.rmSync(runRoot, { recursive: true, force: true });
});

test('two changes of one project run one after the other; another project does not wait', async () => {
  const order: string[] = [];
  const said: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const first = withProjectLock('demo', async () => {
    order.push('first in');
    await held;
    order.push('first out');
  });
  await new Promise((r) => setTimeout(r, 20));
  const second = withProjectLock(
    'demo',
    async () => void order.push('second'),
    (line) => said.push(line),
  );
  await withProjectLock('other', async () => void order.push('other'));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(order, ['first in', 'other'], 'the second waits while the first holds the lock');
  assert.deepEqual(said, ['waiting for another command that changes project demo to end']);
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['first in', 'other', 'first out', 'second']);
  assert.deepEqual(fs.readdirSync(runRoot), [], 'the last holder deletes the lock file');
});

test('a failure inside lets go of the lock, and is not taken for a lock held elsewhere', async () => {
  let calls = 0;
  await assert.rejects(
    withProjectLock('demo', async () => {
      calls += 1;
      throw Object.assign(new Error('the engine start lock timed out'), { code: 'LOCK_TIMEOUT' });
    }),
    /engine start lock/,
  );
  assert.equal(calls, 1);
  await assert.rejects(
    withProjectLock('demo', async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  const said: string[] = [];
  assert.equal(
    await withProjectLock(
      'demo',
      async () => 7,
      (l) => said.push(l),
    ),
    7,
  );
  assert.deepEqual(said, []);
});
