/** `logs --since/--until` values → unix seconds, as docker's client computes them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogTime } from '../../../src/cli/flags/log-times';

const NOW = Date.UTC(2024, 0, 2, 15, 4, 5, 500);
const NOW_S = Math.trunc(NOW / 1000);

test('durations, unix seconds and RFC 3339 times', () => {
  const table: [string, number][] = [
    ['10m', NOW_S - 600],
    ['1h30m', NOW_S - 5400],
    ['1.5h', NOW_S - 5400],
    ['90s', NOW_S - 90],
    ['0s', NOW_S],
    ['-1h', NOW_S + 3600],
    ['0', 0],
    ['1704207845', 1704207845],
    ['1704207845.25', 1704207845.25],
    ['2024-01-02T15:04:05Z', 1704207845],
    ['2024-01-02T15:04:05.123Z', 1704207845.123],
    ['2024-01-02T17:04:05+02:00', 1704207845],
    ['2024-01-02T09:34:05-05:30', 1704207845],
    ['2024-01-02T15:04Z', 1704207840],
    ['2024-01-02', new Date(2024, 0, 2).getTime() / 1000],
    ['2024-01-02T15:04:05', new Date(2024, 0, 2, 15, 4, 5).getTime() / 1000],
  ];
  for (const [value, seconds] of table) assert.equal(parseLogTime(value, NOW), seconds, value);
});

test('anything else is refused in docker words', () => {
  for (const bad of ['yesterday', '10 minutes', '2024-13', '12:00'])
    assert.throws(() => parseLogTime(bad, NOW), {
      message: `failed to parse value as time or duration: "${bad}"`,
    });
});
