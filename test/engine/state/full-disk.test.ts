/**
 * The engine's writers on a full disk (a 1 MiB tmpfs, filled with a filler file): a log writer
 * drops and counts what it cannot store, never throws, leaves no torn record and reports one
 * spell; a rotating, compressing log keeps its lines; an atomic write leaves the previous file
 * and no temp file; a record index keeps what it could not write in memory; the reserve frees
 * room when given up.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { JsonLogWriter } from '../../../src/engine/logs/json-file';
import { readLogs } from '../../../src/engine/logs/reader';
import { writeFileAtomic } from '../../../src/common/atomic';
import { RecordIndex } from '../../../src/engine/state/record-index';
import { SpaceReserve } from '../../../src/engine/state/reserve';

/** A 1 MiB tmpfs, unmounted and removed after the test (also when it fails). */
function smallDisk(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-fulldisk-'));
  t.after(() => {
    if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tscompose-test', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

/** Fills the disk to its last byte; the filler's path (remove it for room). */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'a');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  // The last partial page too.
  try {
    for (;;) fs.writeSync(fd, block.subarray(0, 1));
  } catch {
    // full
  }
  fs.closeSync(fd);
  return file;
}

const parseAll = (file: string): { log: string }[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { log: string });

test('a log writer on a full disk drops and counts, never throws, reports one spell, resumes', (t) => {
  const dir = smallDisk(t);
  const reports: string[] = [];
  const file = path.join(dir, 'c', 'c-json.log');
  const w = new JsonLogWriter(file, undefined, undefined, (l) => reports.push(l));
  w.write('stdout', Buffer.from('before\n'));
  const filler = fill(dir);
  const line = (i: number): string => `${'x'.repeat(100)} ${i}\n`;
  // The log's last page still has room for a few records; then nothing fits.
  for (let i = 0; i < 100; i++) w.write('stdout', Buffer.from(line(i)));
  w.write('stderr', Buffer.from('half a line'));
  assert.equal(reports.length, 1, reports.join('\n'));
  assert.match(reports[0], /^log write failed \(ENOSPC: no space left on device, write\): output is dropped/);

  fs.rmSync(filler);
  w.write('stdout', Buffer.from('after\n'));
  w.close();
  const logs = parseAll(file).map((r) => r.log);
  assert.equal(logs[0], 'before\n');
  assert.deepEqual(logs.slice(-2), ['after\n', 'half a line']);
  // Each line stored whole or counted as dropped, in order: the stored ones first.
  const stored = logs.slice(1, -2);
  assert.deepEqual(
    stored,
    Array.from({ length: stored.length }, (_, i) => line(i)),
  );
  const dropped = Array.from({ length: 100 - stored.length }, (_, i) => line(stored.length + i));
  assert.ok(dropped.length > 50, `${dropped.length} dropped`);
  const bytes = dropped.reduce((n, l) => n + l.length, 0);
  assert.deepEqual(w.dropped, { Lines: dropped.length, Bytes: bytes });
  // The spell ended with the log's close: its summary, and no second "failed" line.
  assert.equal(reports.length, 2, reports.join('\n'));
  assert.match(
    reports[1],
    new RegExp(`^log closed: ${dropped.length} lines \\(${bytes} bytes\\) of output dropped since `),
  );
});

test('a write cut short by a full disk is cut back: no torn record', (t) => {
  const dir = smallDisk(t);
  const file = path.join(dir, 'c-json.log');
  const w = new JsonLogWriter(file);
  w.write('stdout', Buffer.from('first\n'));
  const filler = fill(dir);
  // Room for part of one large record only.
  fs.truncateSync(filler, fs.statSync(filler).size - 8192);
  w.write('stdout', Buffer.from(`${'y'.repeat(16000)}\n`));
  assert.equal(w.dropped.Lines, 1);
  fs.rmSync(filler);
  w.write('stdout', Buffer.from('last\n'));
  w.close();
  assert.deepEqual(
    parseAll(file).map((r) => r.log),
    ['first\n', 'last\n'],
  );
});

test('a rotating, compressing log on a full disk keeps every line it stored, across later rotations', async (t) => {
  const dir = smallDisk(t);
  const file = path.join(dir, 'c-json.log');
  const w = new JsonLogWriter(file, undefined, { maxSize: 2000, maxFiles: 3, compress: true });
  const line = (i: number): Buffer => Buffer.from(`line ${i} ${'z'.repeat(80)}\n`);
  for (let i = 0; i < 10; i++) w.write('stdout', line(i));
  const filler = fill(dir);
  // A rotation on the full disk: no room to compress, the rotated file stays as it is.
  for (let i = 10; i < 20; i++) w.write('stdout', line(i));
  assert.ok(w.dropped.Lines > 0);
  fs.rmSync(filler);
  // Room again, and the next rotation must not overwrite the uncompressed file.
  for (let i = 20; i < 40; i++) w.write('stdout', line(i));
  w.close();
  assert.ok(!fs.readdirSync(dir).some((n) => n.endsWith('.tmp')), fs.readdirSync(dir).join(' '));
  assert.ok(fs.readdirSync(dir).includes('c-json.log.1.gz'), fs.readdirSync(dir).join(' '));
  const read: number[] = [];
  for await (const c of readLogs(file, { stdout: true }))
    read.push(Number(/^line (\d+) /.exec(c.data.toString())?.[1]));
  assert.deepEqual(
    read,
    [...read].sort((a, b) => a - b),
  );
  assert.equal(read.length + w.dropped.Lines, 40, `read ${read.join(',')}; dropped ${w.dropped.Lines}`);
});

test('an atomic write on a full disk leaves the previous file and no temp file', (t) => {
  const dir = smallDisk(t);
  const file = path.join(dir, 'record.json');
  writeFileAtomic(file, '{"v":1}\n');
  const filler = fill(dir);
  // Room for part of it: a short write must not replace the record with a short file.
  fs.truncateSync(filler, fs.statSync(filler).size - 8192);
  assert.throws(() => writeFileAtomic(file, JSON.stringify({ v: 2, pad: 'p'.repeat(20000) })), {
    code: 'ENOSPC',
  });
  assert.equal(fs.readFileSync(file, 'utf8'), '{"v":1}\n');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['filler', 'record.json']);
  fs.rmSync(filler);
});

test('a record index keeps what it cannot write in memory, serves it, and writes it once there is room', (t) => {
  const dir = smallDisk(t);
  const open = () =>
    new RecordIndex<{ id: string; version: number; v: number; pad: string }>({
      dir: path.join(dir, 'containers'),
      version: 1,
      migrations: {},
      valid: () => true,
      keys: {},
    });
  const index = open();
  index.put({ id: 'a', version: 1, v: 1, pad: '' });
  const filler = fill(dir);
  const err = index.save({ id: 'a', version: 1, v: 2, pad: 'p'.repeat(10000) });
  assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  assert.equal(index.get('a')?.v, 2);
  assert.deepEqual(
    [...index.values()].map((r) => r.v),
    [2],
  );
  // A put (a new record) that cannot be written is not held either.
  assert.throws(() => index.put({ id: 'b', version: 1, v: 1, pad: 'p'.repeat(10000) }), { code: 'ENOSPC' });
  assert.equal(index.has('b'), false);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'containers', 'a.json'), 'utf8')).v, 1);
  assert.equal(index.unsavedCount, 1);
  assert.equal(index.flush(), 1);
  fs.rmSync(filler);
  assert.equal(index.flush(), 0);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'containers', 'a.json'), 'utf8')).v, 2);
  const again = open();
  assert.deepEqual(again.load().unreadable, []);
  assert.equal(again.get('a')?.v, 2);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'containers')), ['a.json']);
});

test('the reserve is taken only with room to spare, and giving it up frees its room', (t) => {
  const dir = smallDisk(t);
  const reserve = new SpaceReserve(path.join(dir, 'reserve'), 256 * 1024);
  assert.equal(reserve.take(), true);
  const filler = fill(dir);
  assert.throws(() => writeFileAtomic(path.join(dir, 'r.json'), 'r'.repeat(8192)), { code: 'ENOSPC' });
  assert.equal(reserve.release(), true);
  writeFileAtomic(path.join(dir, 'r.json'), 'r'.repeat(8192));
  assert.equal(reserve.take(), false, 'taken again on a disk still nearly full');
  fs.rmSync(filler);
  assert.equal(reserve.take(), true);
  assert.equal(fs.statSync(path.join(dir, 'reserve')).size, 256 * 1024);
});

test("the daemon's log lines on a full disk are lost, not the daemon", (t) => {
  const dir = smallDisk(t);
  const log = path.join(dir, 'engine.log');
  const logLine = path.resolve(__dirname, '..', '..', '..', 'src', 'engine', 'log-line.js');
  const script = `const { writeLogLine } = require(${JSON.stringify(logLine)});
    for (let i = 0; i < 300; i++) writeLogLine('x'.repeat(10000));
    setTimeout(() => { writeLogLine('last'); console.error('alive'); }, 100);`;
  const out = fs.openSync(log, 'w');
  const r = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
  fs.closeSync(out);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'alive\n');
  assert.ok(fs.statSync(log).size > 900 * 1024);
});
