/** The one size and duration parser: go-units' and Go's time package's results and words. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration,
  fromHumanSize,
  parseDuration,
  ramInBytes,
  tryParseDuration,
} from '../../../src/common/units';

test('sizes: binary for RAMInBytes, decimal for FromHumanSize, the b/ib decoration either way', () => {
  const table: [string, number, number][] = [
    ['0', 0, 0],
    ['1024', 1024, 1024],
    ['1b', 1, 1],
    ['1k', 1024, 1000],
    ['1K', 1024, 1000],
    ['1kb', 1024, 1000],
    ['1KiB', 1024, 1000],
    ['512m', 512 * 1024 ** 2, 512e6],
    ['1.5g', 1.5 * 1024 ** 3, 1.5e9],
    ['1.5GB', 1.5 * 1024 ** 3, 1.5e9],
    ['2 t', 2 * 1024 ** 4, 2e12],
    ['1p', 1024 ** 5, 1e15],
    ['0.3k', 307, 300],
    ['32.5', 32, 32],
  ];
  for (const [text, binary, decimal] of table) {
    assert.equal(ramInBytes(text), binary, text);
    assert.equal(fromHumanSize(text), decimal, text);
  }
});

test('sizes: what go-units refuses, in its words', () => {
  const refused: [string, string][] = [
    ['', "invalid size: ''"],
    ['lots', "invalid size: 'lots'"],
    ['-1', "invalid size: '-1'"],
    ['1x', "invalid size: '1x'"],
    ['1  k', "invalid size: '1  k'"],
    [' 1k', "invalid size: ' 1k'"],
    ['1kk', "invalid size: '1kk'"],
    ['.5k', "invalid size: '.5k'"],
    ['1.2.3k', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
  ];
  for (const [text, message] of refused) {
    assert.throws(() => ramInBytes(text), { message }, text);
    assert.throws(() => fromHumanSize(text), { message }, text);
  }
});

test("durations: Go's time.ParseDuration in nanoseconds, printed as Duration.String", () => {
  const table: [string, number, string][] = [
    ['0', 0, '0s'],
    ['-0', 0, '0s'],
    ['0s', 0, '0s'],
    ['120s', 120e9, '2m0s'],
    ['1m30s', 90e9, '1m30s'],
    ['1h', 3600e9, '1h0m0s'],
    ['1.5h', 5400e9, '1h30m0s'],
    ['2h45m10.5s', (2 * 3600 + 45 * 60 + 10.5) * 1e9, '2h45m10.5s'],
    ['500ms', 500e6, '500ms'],
    ['1.5ms', 1.5e6, '1.5ms'],
    ['1500us', 1.5e6, '1.5ms'],
    ['3\u00b5s', 3e3, '3\u00b5s'],
    ['3\u03bcs', 3e3, '3\u00b5s'],
    ['42ns', 42, '42ns'],
    ['.5s', 0.5e9, '500ms'],
    ['5.s', 5e9, '5s'],
    ['+10s', 10e9, '10s'],
    ['-1m30s', -90e9, '-1m30s'],
    ['1s500ms', 1.5e9, '1.5s'],
    ['0.000000001s', 1, '1ns'],
  ];
  for (const [text, ns, printed] of table) {
    assert.equal(parseDuration(text), ns, text);
    assert.equal(formatDuration(ns), printed, text);
  }
});

test('durations: what Go refuses, in its words', () => {
  const refused: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['soon', 'time: invalid duration "soon"'],
    ['-', 'time: invalid duration "-"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1s2', 'time: missing unit in duration "1s2"'],
    ['10', 'time: missing unit in duration "10"'],
    ['10 s', 'time: unknown unit " s" in duration "10 s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
  ];
  for (const [text, message] of refused) {
    assert.throws(() => parseDuration(text), { message }, text);
    assert.equal(tryParseDuration(text), undefined, text);
  }
});
