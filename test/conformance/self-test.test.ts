/** The harness must be able to fail: wrong expectations are caught in every comparison mode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, type Mode } from './compare';
import { checkCase, ROOTS } from './harness';

test('every comparison mode reports a difference', () => {
  const cases: [Mode, unknown, unknown][] = [
    ['exact', { a: 1, b: [1, 2] }, { a: 1, b: [2, 1] }],
    ['exact', { a: 1 }, { a: 1, extra: true }],
    ['subset', { a: { b: 'x' } }, { a: { b: 'y', c: 1 } }],
    ['subset', { l: [1, 2] }, { l: [1, 2, 3] }],
    ['exact-service', { services: { web: { image: 'a' } } }, { services: { web: { image: 'a', x: 1 } } }],
    ['merged-tree', { services: { s: { environment: ['A=1'] } } }, { services: { s: { environment: { A: 2 } } } }],
  ];
  for (const [mode, expected, actual] of cases) {
    assert.notDeepEqual(compare(mode, expected, actual), [], `${mode} missed a difference`);
  }
  assert.deepEqual(compare('merged-tree', { s: { labels: ['A=1', 'B'] } }, { s: { labels: { A: 1, B: null } } }), []);
  assert.deepEqual(compare('subset', { a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }), []);
});

test('a corpus case with a deliberately wrong expectation fails', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-conf-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const src = path.join(ROOTS[0], 'dotenv-plain');
  const dir = path.join(tmp, 'dotenv-plain');
  fs.cpSync(src, dir, { recursive: true });
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, string>;
  const key = Object.keys(expected)[0];
  expected[key] = `${expected[key]}-wrong`;
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected));
  assert.throws(() => checkCase(dir, { kind: 'dotenv', expect: 'success' }), /wrong/);
});

test('an error case whose expected message is wrong fails', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-conf-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const dir = path.join(tmp, 'case');
  fs.cpSync(path.join(ROOTS[0], 'invalid-depends-on-self'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'expected-error.txt'), 'a message no loader prints');
  assert.throws(() => checkCase(dir, { kind: 'load', expect: 'error', files: ['compose.yaml'] }), /does not contain|succeeded/);
});
