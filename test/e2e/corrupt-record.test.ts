/**
 * A container record that cannot be read never stops the engine: truncated while the daemon was
 * down (its container still running), or not JSON, or JSON of the wrong shape found at a start.
 * The engine starts, the other containers are served, the bad record is set aside with a line
 * in the daemon log naming it, and the bad container's processes and cgroup are gone (the leak
 * sweep after each test checks cgroups, processes and mounts). A record of an older schema is
 * migrated and one of a newer schema left alone, each with a line in the log.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';

const OUTAGE_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('corrupt container records', () => {
  const { root, runRoot, cli } = useCliEngine('tscompose-corrupt-', {
    TSCOMPOSE_DAEMON_RESTART_DELAY_MS: String(OUTAGE_MS),
  });
  const containers = path.join(root, 'containers');
  const daemonPid = (): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')).pid);
  const run = (...args: string[]): string => {
    const r = cli('container', 'run', '-d', ...args);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const names = (): string[] =>
    cli('container', 'ls', '-a', '--format', '{{.Names}}').stdout.split('\n').filter(Boolean).sort();
  /** The bad one is looked at, then cleared away: the leak sweep counts set-aside files as left. */
  const setAside = (id: string): void => {
    assert.ok(fs.existsSync(path.join(containers, `${id}.json.corrupt`)), `${id}.json.corrupt`);
    assert.ok(!fs.existsSync(path.join(containers, `${id}.json`)));
    const log = fs.readFileSync(path.join(runRoot, 'engine.log'), 'utf8');
    const lines = log.split('\n').filter((l) => l.includes(path.join(containers, `${id}.json`)));
    assert.equal(lines.length, 1, log);
    for (const n of fs.readdirSync(containers))
      if (n.startsWith(id)) fs.rmSync(path.join(containers, n), { recursive: true, force: true });
  };

  test('a record truncated while the daemon was down, its container running', async () => {
    run('--name', 'good', 'busybox', 'sleep', '3600');
    const bad = run('--name', 'bad', 'busybox', 'sleep', '3600');
    const badPid = Number(cli('container', 'inspect', '-f', '{{.State.Pid}}', 'bad').stdout);
    const first = daemonPid();
    process.kill(first, 'SIGKILL');
    const file = path.join(containers, `${bad}.json`);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const t0 = Date.now();
    while (cli('engine', 'status').status !== 0 || daemonPid() === first) {
      assert.ok(Date.now() - t0 < 60_000, 'no daemon came back');
      await sleep(250);
    }
    assert.deepEqual(names(), ['good']);
    assert.equal(cli('container', 'inspect', '-f', '{{.State.Status}}', 'good').stdout.trim(), 'running');
    assert.ok(!fs.existsSync(`/proc/${badPid}`), 'the bad container still runs');
    setAside(bad);
    assert.equal(cli('container', 'rm', '-f', 'good').status, 0);
  });

  test('records not JSON or of the wrong shape at a start', () => {
    run('--name', 'kept', 'busybox', 'true');
    const garbled = run('--name', 'garbled', 'busybox', 'true');
    const shapeless = run('--name', 'shapeless', 'busybox', 'true');
    assert.equal(cli('engine', 'stop').status, 0);
    fs.writeFileSync(path.join(containers, `${garbled}.json`), '\0\0\0not json');
    fs.writeFileSync(path.join(containers, `${shapeless}.json`), JSON.stringify({ id: shapeless, state: 7 }));
    const ls = cli('container', 'ls', '-a', '--format', '{{.Names}}');
    assert.equal(ls.status, 0, ls.stderr);
    assert.equal(ls.stdout, 'kept\n');
    setAside(garbled);
    setAside(shapeless);
    assert.equal(cli('container', 'rm', 'kept').status, 0);
  });

  test('a record of the first schema is migrated, one of a newer schema left alone: a log line each', () => {
    const id = run('--name', 'elder', 'busybox', 'true');
    assert.equal(cli('engine', 'stop').status, 0);
    const file = path.join(containers, `${id}.json`);
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete record.version; // as the builds before schema versions wrote it
    fs.writeFileSync(file, JSON.stringify(record));
    const futureId = crypto.randomBytes(32).toString('hex');
    const future = path.join(containers, `${futureId}.json`);
    fs.writeFileSync(future, JSON.stringify({ ...record, id: futureId, name: 'future', version: 99 }));
    assert.deepEqual(names(), ['elder']);
    const log = fs.readFileSync(path.join(runRoot, 'engine.log'), 'utf8');
    assert.match(log, /1 container record\(s\) brought to schema version 2/);
    assert.ok(
      log.includes(`container record ${future} is of a newer schema (version 99): left as it is, not served`),
      log,
    );
    assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number }).version, 2);
    assert.equal((JSON.parse(fs.readFileSync(future, 'utf8')) as { version: number }).version, 99);
    fs.rmSync(future);
    assert.equal(cli('container', 'rm', 'elder').status, 0);
  });
});
