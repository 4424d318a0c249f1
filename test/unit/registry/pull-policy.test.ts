import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePull, pullInterval, type ServiceImage } from '../../../src/engine/images/pull-policy';

const now = Date.parse('2024-06-01T12:00:00Z');
const hour = 3_600_000;

test('pull_policy decisions', () => {
  const svc = (pull_policy?: string, build?: unknown): ServiceImage => ({
    name: 'web',
    image: 'nginx',
    pull_policy,
    build,
  });
  const cases: [ServiceImage, { present: boolean; lastPulled?: number }, string][] = [
    [svc(), { present: false }, 'pull'],
    [svc(), { present: true }, 'skip'],
    [svc(undefined, '.'), { present: false }, 'build'],
    [svc('missing', '.'), { present: false }, 'pull'],
    [svc('if_not_present'), { present: true }, 'skip'],
    [svc('always'), { present: true }, 'pull'],
    [svc('never'), { present: true }, 'skip'],
    [svc('build'), { present: true }, 'build'],
    [svc('daily'), { present: true, lastPulled: now - 2 * hour }, 'skip'],
    [svc('daily'), { present: true, lastPulled: now - 25 * hour }, 'pull'],
    [svc('daily'), { present: true }, 'pull'],
    [svc('weekly'), { present: true, lastPulled: now - 6 * 24 * hour }, 'skip'],
    [svc('every_12h'), { present: true, lastPulled: now - 13 * hour }, 'pull'],
    [svc('every_1h30m'), { present: true, lastPulled: now - hour }, 'skip'],
    [svc('every_2d'), { present: false }, 'pull'],
  ];
  for (const [service, facts, want] of cases)
    assert.equal(
      decidePull(service, { ...facts, now }),
      want,
      `${service.pull_policy} ${JSON.stringify(facts)}`,
    );
  assert.throws(
    () => decidePull(svc('never'), { present: false, now }),
    /^Error: service "web": image nginx not found and pull_policy is never$|image nginx not found and pull_policy is never/,
  );
  assert.throws(
    () => decidePull(svc('sometimes'), { present: true, now }),
    /service "web": invalid pull_policy "sometimes"/,
  );
  assert.equal(pullInterval('every_90m'), 90 * 60_000);
  assert.equal(pullInterval('every_'), undefined);
  assert.equal(pullInterval('every_5x'), undefined);
});
