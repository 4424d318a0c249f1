/** Go's ways of printing that docker's output shows: durations, sizes, quoting, times. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ellipsis, formatG, goQuote, goTimeString, humanSize } from '../../../src/cli/format/go-format';
import { humanDuration } from '../../../src/common/human-duration';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

test("humanDuration (the engine's, which CREATED uses) words durations as go-units does", () => {
  const table: [number, string][] = [
    [450, 'Less than a second'],
    [-5 * SEC, 'Less than a second'],
    [SEC, '1 second'],
    [47 * SEC, '47 seconds'],
    [59 * SEC + 999, '59 seconds'],
    [MIN, 'About a minute'],
    [MIN + 59 * SEC, 'About a minute'],
    [3 * MIN, '3 minutes'],
    [35 * MIN + 40 * SEC, '35 minutes'],
    [59 * MIN, '59 minutes'],
    [HOUR, 'About an hour'],
    [HOUR + 29 * MIN, 'About an hour'],
    [HOUR + 31 * MIN, '2 hours'],
    [3 * HOUR + 29 * MIN, '3 hours'],
    [3 * HOUR + 31 * MIN, '4 hours'],
    [DAY, '24 hours'],
    [DAY + 12 * HOUR, '36 hours'],
    [2 * DAY, '2 days'],
    [13 * DAY + 5 * HOUR, '13 days'],
    [2 * WEEK, '2 weeks'],
    [4 * WEEK + 3 * DAY, '4 weeks'],
    [MONTH, '4 weeks'],
    [MONTH + 2 * WEEK, '6 weeks'],
    [2 * MONTH, '2 months'],
    [13 * MONTH, '13 months'],
    [24 * MONTH, '24 months'],
    [24 * MONTH + 2 * WEEK, '2 years'],
    [3 * YEAR + 2 * MONTH, '3 years'],
  ];
  for (const [ms, words] of table) assert.equal(humanDuration(ms), words, String(ms));
});

test('humanSize: decimal units, %.3g (%.4g for VirtualSize), ties to even', () => {
  const table: [number, string, string][] = [
    [0, '0B', '0B'],
    [999, '999B', '999B'],
    [1000, '1kB', '1kB'],
    [1125, '1.12kB', '1.125kB'],
    [1135, '1.14kB', '1.135kB'],
    [4261296, '4.26MB', '4.261MB'],
    [999_999, '1e+03kB', '1000kB'],
    [77_812_345, '77.8MB', '77.81MB'],
    [1.2e9, '1.2GB', '1.2GB'],
  ];
  for (const [bytes, three, four] of table) {
    assert.equal(humanSize(bytes), three, String(bytes));
    assert.equal(humanSize(bytes, 4), four, String(bytes));
  }
  assert.equal(formatG(0.000012345, 3), '1.23e-05');
  assert.equal(formatG(0.5, 3), '0.5');
  assert.equal(formatG(2.5, 1), '2');
  assert.equal(formatG(3.5, 1), '4');
});

test('goQuote escapes as strconv.Quote; ellipsis keeps 20 characters', () => {
  assert.equal(goQuote('a"b\\c\n\t\x01\x7f…é\u0085'), '"a\\"b\\\\c\\n\\t\\x01\\x7f…é\\u0085"');
  assert.equal(ellipsis('12345678901234567890', 20), '12345678901234567890');
  assert.equal(ellipsis('123456789012345678901', 20), '1234567890123456789…');
  assert.equal(ellipsis('ééééééééééééééééééééé', 20), 'ééééééééééééééééééé…');
});

test('goTimeString prints time.Time as Go does, in the given zone', () => {
  const s = Date.UTC(2024, 0, 2, 15, 4, 5) / 1000;
  assert.equal(goTimeString(s, 'UTC'), '2024-01-02 15:04:05 +0000 UTC');
  assert.equal(goTimeString(s, 'America/New_York'), '2024-01-02 10:04:05 -0500 EST');
  assert.equal(goTimeString(s, 'Europe/Berlin'), '2024-01-02 16:04:05 +0100 CET');
  assert.equal(goTimeString(s, 'Asia/Kolkata'), '2024-01-02 20:34:05 +0530 +0530');
});
