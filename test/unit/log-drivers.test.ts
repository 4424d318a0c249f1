/**
 * Log rotation (max-size, max-file, compress) as docker's json-file rotates, the reader across
 * rotated files (tail, since, follow through a rotation), and the drivers' option checks and
 * defaults as dockerd words them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { OutputChunk } from '../../src/engine-api/output';
import { jsonLogPath, JsonLogWriter } from '../../src/engine/logs/json-file';
import {
  daemonLogConfig,
  openLogWriter,
  readContainerLogs,
  resolveLogConfig,
  rotationOf,
} from '../../src/engine/logs/drivers';
import { readLogs } from '../../src/engine/logs/reader';
import { fromHumanSize } from '../../src/common/units';
import { rotatedFiles } from '../../src/engine/logs/rotate';

function tmpLog(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-logrot-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return jsonLogPath(dir, 'abc');
}

async function lines(it: AsyncIterable<OutputChunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(c.data.toString().trimEnd());
  return out;
}

const numbered = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${String(from + i).padStart(4, '0')}`);

/** n lines, one write each; every record is the same size (~70 bytes). */
function writeLines(w: JsonLogWriter, from: number, to: number): void {
  for (const l of numbered(from, to)) w.write('stdout', Buffer.from(`${l}\n`));
}

const fixedTime = (): string => '2026-12-01T18:00:00.000000000Z';

test('rotation: at most max-file files, each about max-size, the newest lines kept in order', async (t) => {
  const file = tmpLog(t);
  const w = new JsonLogWriter(file, fixedTime, { maxSize: 1000, maxFiles: 3, compress: false });
  writeLines(w, 1, 200);
  w.close();
  const files = fs.readdirSync(path.dirname(file)).sort();
  assert.deepEqual(files, ['abc-json.log', 'abc-json.log.1', 'abc-json.log.2']);
  for (const f of files) {
    const size = fs.statSync(path.join(path.dirname(file), f)).size;
    assert.ok(size <= 1100, `${f}: ${size} bytes`); // one record over at most, as docker's
  }
  const all = await lines(readLogs(file, {}));
  assert.ok(all.length > 20 && all.length < 60, `${all.length} lines kept`);
  assert.deepEqual(all, numbered(201 - all.length, 200), 'contiguous, oldest file first');
  assert.deepEqual(await lines(readLogs(file, { tail: '5' })), numbered(196, 200));
  // a tail longer than the current file reaches into the rotated ones
  const current = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  assert.deepEqual(await lines(readLogs(file, { tail: String(current + 3) })), numbered(198 - current, 200));
  assert.deepEqual(await lines(readLogs(file, { tail: '1000' })), all);
});

test('rotation: max-file 1 truncates; compress gzips the rotated files, which the reader opens', async (t) => {
  const one = tmpLog(t);
  const w1 = new JsonLogWriter(one, fixedTime, { maxSize: 500, maxFiles: 1, compress: false });
  writeLines(w1, 1, 30);
  w1.close();
  assert.deepEqual(rotatedFiles(one), []);
  assert.ok(fs.statSync(one).size <= 600);
  assert.equal((await lines(readLogs(one, {}))).at(-1), 'line 0030');

  const gz = path.join(path.dirname(one), 'gz', 'abc-json.log');
  const w2 = new JsonLogWriter(gz, fixedTime, { maxSize: 500, maxFiles: 4, compress: true });
  writeLines(w2, 1, 40);
  w2.close();
  const rotated = rotatedFiles(gz);
  assert.deepEqual(
    rotated.map((r) => path.basename(r.path)),
    ['abc-json.log.3.gz', 'abc-json.log.2.gz', 'abc-json.log.1.gz'],
  );
  assert.match(zlib.gunzipSync(fs.readFileSync(rotated[0].path)).toString(), /"line \d+\\n"/);
  const all = await lines(readLogs(gz, {}));
  assert.deepEqual(all, numbered(41 - all.length, 40));
  assert.deepEqual(await lines(readLogs(gz, { tail: '12' })), numbered(29, 40));
});

test('rotation: a writer reopening a log counts what is there already', (t) => {
  const file = tmpLog(t);
  const opts = { maxSize: 1000, maxFiles: 2, compress: false };
  const a = new JsonLogWriter(file, fixedTime, opts);
  writeLines(a, 1, 10);
  a.close();
  const b = new JsonLogWriter(file, fixedTime, opts);
  writeLines(b, 11, 20);
  b.close();
  assert.equal(rotatedFiles(file).length, 1);
});

test('reader: a follower moves on through rotations without losing or repeating a line', async (t) => {
  const file = tmpLog(t);
  // Enough files that none is deleted before the follower gets to it, however slow a loaded
  // machine makes it: what is tested is the move from one file to the next.
  const w = new JsonLogWriter(file, undefined, { maxSize: 700, maxFiles: 50, compress: false });
  let done = false;
  writeLines(w, 1, 3);
  const seen: string[] = [];
  const reading = (async () => {
    for await (const c of readLogs(file, { follow: true }, undefined, () => done))
      seen.push(c.data.toString().trimEnd());
  })();
  for (let i = 4; i <= 60; i += 3) {
    await new Promise((r) => setTimeout(r, 15));
    writeLines(w, i, i + 2);
  }
  await new Promise((r) => setTimeout(r, 400));
  done = true;
  await reading;
  w.close();
  assert.ok(rotatedFiles(file).length >= 2, 'it did rotate');
  assert.deepEqual(seen, numbered(1, 60));
});

test('options: docker wording for bad drivers, options and values', () => {
  const refused: [object | undefined, string][] = [
    [{ Type: 'syslog' }, "logger: no log driver named 'syslog' is registered"],
    [
      { Type: 'json-file', Config: { 'max-sise': '1k' } },
      "unknown log opt 'max-sise' for json-file log driver",
    ],
    [{ Type: 'local', Config: { tag: 'x' } }, "unknown log opt 'tag' for log driver local"],
    [{ Type: 'json-file', Config: { 'max-size': 'big' } }, "invalid size: 'big'"],
    [{ Type: 'json-file', Config: { 'max-size': '0' } }, 'max-size must be a positive number'],
    [{ Type: 'json-file', Config: { 'max-file': 'x' } }, 'strconv.Atoi: parsing "x": invalid syntax'],
    [{ Type: 'json-file', Config: { 'max-file': '0' } }, 'max-file cannot be less than 1'],
    [{ Type: 'local', Config: { compress: 'yes' } }, 'strconv.ParseBool: parsing "yes": invalid syntax'],
    [
      { Type: 'json-file', Config: { compress: 'true' } },
      'compress cannot be true when max-file is less than 2 or max-size is not set',
    ],
  ];
  for (const [config, message] of refused)
    assert.throws(
      () => resolveLogConfig(config as never),
      (err: Error & { kind?: string }) => err.message === message && err.kind === 'invalid-argument',
      message,
    );
});

test('options: defaults merged as dockerd merges them, rotation as each driver reads it', () => {
  const daemon = daemonLogConfig({ 'log-driver': 'json-file', 'log-opts': { 'max-size': '10m' } }, 'x.json');
  assert.deepEqual(resolveLogConfig(undefined, daemon), { Type: 'json-file', Config: { 'max-size': '10m' } });
  assert.deepEqual(resolveLogConfig({ Type: '', Config: { 'max-file': '3' } }, daemon), {
    Type: 'json-file',
    Config: { 'max-file': '3', 'max-size': '10m' },
  });
  // another driver than the daemon's takes none of the daemon's options
  assert.deepEqual(resolveLogConfig({ Type: 'local' }, daemon), { Type: 'local', Config: {} });
  assert.deepEqual(resolveLogConfig({ Type: 'none', Config: { whatever: '1' } }), {
    Type: 'none',
    Config: { whatever: '1' },
  });
  assert.throws(() => daemonLogConfig({ 'log-driver': 'fluent' }, '/etc/x.json'), {
    message: /^\/etc\/x.json: logger/,
  });
  assert.throws(
    () => daemonLogConfig({ 'log-opts': { 'max-file': 3 } }, 'x'),
    /must map option names to strings/,
  );

  assert.equal(fromHumanSize('1k'), 1000);
  assert.equal(fromHumanSize('1.5MB'), 1_500_000);
  assert.equal(fromHumanSize('2kib'), 2000);
  assert.deepEqual(rotationOf({ Type: 'json-file' }), { maxSize: undefined, maxFiles: 1, compress: false });
  assert.deepEqual(rotationOf({ Type: 'local' }), { maxSize: 20 * 1024 * 1024, maxFiles: 5, compress: true });
  assert.deepEqual(rotationOf({ Type: 'local', Config: { 'max-file': '1' } }).compress, false);
  assert.deepEqual(rotationOf({ Type: 'json-file', Config: { 'max-size': '1k', 'max-file': '3' } }), {
    maxSize: 1000,
    maxFiles: 3,
    compress: false,
  });
});

test('drivers: local keeps its own file; none keeps nothing and refuses to read', async (t) => {
  const file = tmpLog(t);
  const local = openLogWriter(file, { Type: 'local', Config: {} });
  local.write('stdout', Buffer.from('kept\n'));
  local.close();
  assert.equal(fs.existsSync(file), false);
  assert.ok(fs.existsSync(file.replace(/-json\.log$/, '-local.log')));
  assert.deepEqual(await lines(readContainerLogs(file, { Type: 'local' }, {})), ['kept']);

  const none = openLogWriter(file, { Type: 'none' });
  none.write('stdout', Buffer.from('lost\n'));
  none.close();
  assert.equal(fs.existsSync(file), false);
  await assert.rejects(
    lines(readContainerLogs(file, { Type: 'none' }, {})),
    (err: Error & { kind?: string }) =>
      err.message === 'configured logging driver does not support reading' && err.kind === 'not-implemented',
  );
  // records made before drivers: json-file
  const plain = openLogWriter(file, undefined);
  plain.write('stdout', Buffer.from('json\n'));
  plain.close();
  assert.deepEqual(await lines(readContainerLogs(file, undefined, {})), ['json']);
});
