import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RestartPolicy } from '../../../src/engine-api/container/types';
import { nextDelay, shouldRestart, startsWithEngine } from '../../../src/engine/containers/restart-policy';

describe('restart policy', () => {
  const cases: [RestartPolicy | undefined, number, number, boolean, boolean][] = [
    // policy, exit code, restarts so far, stopped by a user → restart?
    [undefined, 1, 0, false, false],
    [{ Name: 'no' }, 1, 0, false, false],
    [{ Name: 'always' }, 0, 5, false, true],
    [{ Name: 'always' }, 1, 0, true, false],
    [{ Name: 'unless-stopped' }, 0, 0, false, true],
    [{ Name: 'unless-stopped' }, 0, 0, true, false],
    [{ Name: 'on-failure' }, 0, 0, false, false],
    [{ Name: 'on-failure' }, 3, 100, false, true],
    [{ Name: 'on-failure', MaximumRetryCount: 2 }, 3, 1, false, true],
    [{ Name: 'on-failure', MaximumRetryCount: 2 }, 3, 2, false, false],
  ];
  for (const [policy, code, count, byUser, want] of cases) {
    test(`${policy?.Name ?? 'none'}:${policy?.MaximumRetryCount ?? ''} exit ${code} after ${count}${byUser ? ' stopped' : ''} → ${want}`, () => {
      assert.equal(shouldRestart(policy, code, count, byUser), want);
    });
  }

  test('back-off doubles from 100 ms up to a minute and starts over after 10 s of running', () => {
    const seen: number[] = [];
    let d = 0;
    for (let i = 0; i < 12; i++) seen.push((d = nextDelay(d, 5)));
    assert.deepEqual(seen.slice(0, 6), [100, 200, 400, 800, 1600, 3200]);
    assert.equal(seen[11], 60_000);
    assert.equal(nextDelay(60_000, 10_000), 100);
  });

  test('what a starting engine brings back', () => {
    assert.equal(startsWithEngine({ Name: 'always' }, true), true);
    assert.equal(startsWithEngine({ Name: 'unless-stopped' }, false), true);
    assert.equal(startsWithEngine({ Name: 'unless-stopped' }, true), false);
    assert.equal(startsWithEngine({ Name: 'on-failure' }, false), false);
    assert.equal(startsWithEngine(undefined, false), false);
  });
});
