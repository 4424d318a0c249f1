/**
 * Log drivers on real containers: json-file rotation with max-size=1k max-file=3 keeps three
 * files at most and `logs --tail` still reads the newest lines, `none` keeps nothing and refuses
 * to read, `local` rotates on its own, bad options are refused at create (nothing is made), and
 * the engine's defaults (engine.json) apply to containers that name no driver.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEngine } from '../../../src/engine/engine';
import { enginePaths } from '../../../src/engine-api/paths';
import { collect, startTestEngine, type TestEngine } from '../../helpers/engine';
import { useTestEngine } from '../../helpers/engine-suite';

const sh = (script: string): string[] => ['sh', '-c', script];

describe('log drivers', () => {
  const suite = useTestEngine();
  let t: TestEngine;
  before(() => {
    t = suite.t;
  });

  const ran = async (cmd: string[], LogConfig?: object): Promise<string> => {
    const { Id } = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: cmd,
      HostConfig: { LogConfig } as never,
    });
    await t.engine.startContainer(Id);
    await t.engine.waitContainer(Id);
    return Id;
  };
  const logFiles = (id: string): string[] =>
    fs
      .readdirSync(path.join(t.root, 'containers', id))
      .filter((n) => n.includes('.log'))
      .sort();

  test('json-file max-size=1k max-file=3: three files at most, tail reads the newest lines', async () => {
    const id = await ran(sh('i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo "line $i"; done'), {
      Type: 'json-file',
      Config: { 'max-size': '1k', 'max-file': '3' },
    });
    assert.deepEqual(logFiles(id), [`${id}-json.log`, `${id}-json.log.1`, `${id}-json.log.2`]);
    for (const f of logFiles(id)) assert.ok(fs.statSync(path.join(t.root, 'containers', id, f)).size < 1200);
    const tail = await collect(t.engine.containerLogs(id, { stdout: true, tail: '5' }));
    assert.equal(tail.stdout, ['296', '297', '298', '299', '300'].map((n) => `line ${n}\n`).join(''));
    const kept = (await collect(t.engine.containerLogs(id, { stdout: true }))).stdout.trim().split('\n');
    assert.ok(kept.length < 100, `${kept.length} lines kept`);
    assert.equal(kept.at(-1), 'line 300');
    const first = Number(kept[0].split(' ')[1]);
    assert.deepEqual(
      kept,
      Array.from({ length: 301 - first }, (_, i) => `line ${first + i}`),
    );
    const { HostConfig, LogPath } = await t.engine.inspectContainer(id);
    assert.deepEqual(HostConfig.LogConfig, {
      Type: 'json-file',
      Config: { 'max-size': '1k', 'max-file': '3' },
    });
    assert.equal(LogPath, path.join(t.root, 'containers', id, `${id}-json.log`));
    await t.engine.removeContainer(id);
  });

  test('tail without follow on a busy container: the last lines as the request came, then the end', async () => {
    const id = await suite.started(sh('i=0; while :; do i=$((i+1)); echo "line $i"; done'));
    try {
      const { LogPath } = await t.engine.inspectContainer(id);
      // Busy for real: a megabyte of log before the first read.
      const t0 = Date.now();
      while ((fs.statSync(LogPath, { throwIfNoEntry: false })?.size ?? 0) < 1e6) {
        assert.ok(Date.now() - t0 < 30_000, 'the container wrote no megabyte of log');
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let round = 0; round < 3; round++) {
        const t1 = Date.now();
        // A reader that never catches up with the writer is cut off here, and fails below.
        const { stdout } = await collect(
          t.engine.containerLogs(id, { stdout: true, tail: '2' }, AbortSignal.timeout(20_000)),
        );
        assert.ok(Date.now() - t1 < 15_000, `logs --tail 2 took ${Date.now() - t1} ms`);
        const lines = stdout.split('\n');
        assert.equal(lines.length, 3, `${lines.length - 1} lines: ${stdout.slice(0, 200)}`);
        const [a, b] = lines.map((l) => Number(/^line (\d+)$/.exec(l)?.[1]));
        assert.equal(b, a + 1, stdout);
      }
    } finally {
      await t.engine.removeContainer(id, { force: true });
    }
  });

  test("none: the container runs, nothing is stored, logs answers docker's error", async () => {
    const id = await ran(sh('echo hidden; exit 2'), { Type: 'none' });
    assert.equal((await t.engine.inspectContainer(id)).State.ExitCode, 2);
    assert.deepEqual(logFiles(id), []);
    await assert.rejects(async () => collect(t.engine.containerLogs(id, { stdout: true })), {
      message: 'configured logging driver does not support reading',
    });
    await t.engine.removeContainer(id);
  });

  test('local: its own file, read back by logs', async () => {
    const id = await ran(sh('echo one; echo two >&2'), { Type: 'local' });
    assert.deepEqual(logFiles(id), [`${id}-local.log`]);
    const out = await collect(t.engine.containerLogs(id, { stdout: true, stderr: true }));
    assert.deepEqual(out, { stdout: 'one\n', stderr: 'two\n' });
    await t.engine.removeContainer(id);
  });

  test('bad drivers and options are refused at create, and nothing is created', async () => {
    const refused: [object, string][] = [
      [{ Type: 'gelf' }, "logger: no log driver named 'gelf' is registered"],
      [
        { Type: 'json-file', Config: { 'max-sizes': '1k' } },
        "unknown log opt 'max-sizes' for json-file log driver",
      ],
      [{ Type: 'json-file', Config: { 'max-file': '0' } }, 'max-file cannot be less than 1'],
      [{ Type: 'local', Config: { labels: 'a' } }, "unknown log opt 'labels' for log driver local"],
    ];
    for (const [LogConfig, message] of refused)
      await assert.rejects(
        t.engine.createContainer({ Image: 'busybox', HostConfig: { LogConfig } as never }),
        (err: Error & { kind?: string }) => err.message === message && err.kind === 'invalid-argument',
      );
    assert.deepEqual(await t.engine.listContainers({ all: true }), []);
  });
});

describe('log defaults from engine.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-logconf-'));
  const config = path.join(dir, 'engine.json');
  let t: TestEngine;
  let saved: string | undefined;
  before(async () => {
    fs.writeFileSync(
      config,
      JSON.stringify({ 'log-driver': 'local', 'log-opts': { 'max-size': '2k' }, 'default-network': 'none' }),
    );
    saved = process.env.TSCOMPOSE_CONFIG;
    process.env.TSCOMPOSE_CONFIG = config;
    t = await startTestEngine();
  });
  after(async () => {
    if (saved === undefined) delete process.env.TSCOMPOSE_CONFIG;
    else process.env.TSCOMPOSE_CONFIG = saved;
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a container without a driver gets the engine's, with its options; another driver does not", async () => {
    const { Id } = await t.engine.createContainer({ Image: 'busybox', Cmd: ['true'] });
    assert.deepEqual((await t.engine.inspectContainer(Id)).HostConfig.LogConfig, {
      Type: 'local',
      Config: { 'max-size': '2k' },
    });
    const own = await t.engine.createContainer({
      Image: 'busybox',
      Cmd: ['true'],
      HostConfig: { LogConfig: { Type: 'json-file', Config: {} } },
    });
    assert.deepEqual((await t.engine.inspectContainer(own.Id)).HostConfig.LogConfig, {
      Type: 'json-file',
      Config: {},
    });
  });

  test('a bad engine.json stops the engine from starting, naming the file', async () => {
    fs.writeFileSync(config, JSON.stringify({ 'log-driver': 'json-file', 'log-opts': { colour: 'red' } }));
    const root = path.join(dir, 'bad-root');
    const paths = enginePaths({ TSCOMPOSE_ROOT: root, TSCOMPOSE_RUNROOT: path.join(root, 'run') });
    await assert.rejects(createEngine({ paths, buildId: 'test', version: '0' }), {
      message: `${config}: unknown log opt 'colour' for json-file log driver`,
    });
  });
});
