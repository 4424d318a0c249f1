/** Docker's detach keys: the spec's words, and the filter that holds back a sequence being typed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetachKeyFilter, parseDetachKeys } from '../../src/common/detach-keys';

test('detach key specs become bytes as docker reads them', () => {
  const table: [string, number[]][] = [
    ['ctrl-p,ctrl-q', [0x10, 0x11]],
    ['ctrl-a', [1]],
    ['ctrl-z', [26]],
    ['ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_', [0, 27, 28, 29, 30, 31]],
    ['a,b', [0x61, 0x62]],
    ['ctrl-x,x', [24, 0x78]],
    ['DEL', [127]],
  ];
  for (const [spec, bytes] of table) assert.deepEqual([...parseDetachKeys(spec)], bytes, spec);
  for (const bad of ['ctrl-', 'ctrl-1', 'ctrl-pq', 'abc', 'ctrl-p,,ctrl-q'])
    assert.throws(() => parseDetachKeys(bad), /Invalid detach keys/, bad);
});

test('the filter passes input on, holds a prefix back, and detaches on the whole sequence', () => {
  const push = (f: DetachKeyFilter, s: string) => {
    const r = f.push(Buffer.from(s, 'latin1'));
    return [r.forward.toString('latin1'), r.detach];
  };
  const f = new DetachKeyFilter(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.deepEqual(push(f, 'ls\r'), ['ls\r', false]);
  assert.deepEqual(push(f, '\x10'), ['', false]); // held back
  assert.deepEqual(push(f, 'a'), ['\x10a', false]); // released by a byte that breaks it
  assert.deepEqual(push(f, 'x\x10\x10'), ['x\x10', false]); // a second ctrl-p restarts it
  assert.deepEqual(push(f, '\x11rest'), ['', true]);
  const split = new DetachKeyFilter(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.deepEqual(push(split, 'ab\x10\x11'), ['ab', true]);
});
