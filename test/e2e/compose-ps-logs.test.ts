/**
 * `ps` and `logs` end to end: the real CLI and daemon, containers made with docker compose's
 * labels (as `up` makes them) for two projects and a one-off, read back by project name alone
 * (`-p`, no compose file) and through a compose file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';

const WEB = 'echo web line 1; echo web line 2; echo web err >&2; exec sleep 1000';

describe('ps and logs of a project', { skip: busyboxMissing() }, () => {
  const c = useCliEngine('tscompose-pslogs-e2e-');
  // A folder without compose files: the project is known by its name only.
  const bare = path.join(c.dir, 'bare');
  const withFile = path.join(c.dir, 'proj');
  const ps = (...args: string[]) => c.cliWith({ cwd: bare }, '-p', 'demo', 'ps', ...args);
  const logs = (...args: string[]) => c.cliWith({ cwd: bare }, '-p', 'demo', 'logs', ...args);

  const make = (project: string, service: string, n: number, script: string, extra: string[] = []) => {
    const r = c.cli(
      'container',
      'run',
      '-d',
      '--name',
      `${project}-${service}-${n}`,
      '-l',
      `com.docker.compose.project=${project}`,
      '-l',
      `com.docker.compose.service=${service}`,
      '-l',
      `com.docker.compose.container-number=${n}`,
      '-l',
      `com.docker.compose.oneoff=${extra.includes('oneoff') ? 'True' : 'False'}`,
      ...extra.filter((e) => e !== 'oneoff'),
      'busybox',
      'sh',
      '-c',
      script,
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const ids: Record<string, string> = {};

  before(() => {
    fs.mkdirSync(bare);
    fs.mkdirSync(withFile);
    fs.writeFileSync(
      path.join(withFile, 'compose.yaml'),
      'name: demo\nservices:\n  web:\n    image: busybox\n  db:\n    image: busybox\n',
    );
    ids.web1 = make('demo', 'web', 1, WEB);
    ids.web2 = make('demo', 'web', 2, 'echo web two; exec sleep 1000');
    ids.db1 = make('demo', 'db', 1, 'echo db ready; exit 3');
    ids.hc1 = make('demo', 'hc', 1, 'exec sleep 1000', [
      '--health-cmd',
      'true',
      '--health-interval',
      '100ms',
    ]);
    ids.run = make('demo', 'web', 3, 'exec sleep 1000', ['oneoff']);
    ids.other = make('other', 'web', 1, 'echo other; exec sleep 1000');
    c.cli('container', 'wait', 'demo-db-1');
  });

  const names = (out: string): string[] =>
    out
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]);

  test("ps: the project's running containers only, docker compose's columns; oclif never loaded", () => {
    // Preloaded into the CLI: on exit, writes down whether anything of oclif was loaded.
    const probe = path.join(c.dir, 'probe.js');
    const report = path.join(c.dir, 'oclif-loaded');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, ` +
        `String(Object.keys(require.cache).some((m) => m.includes('@oclif')))));\n`,
    );
    const r = c.cliWith(
      { cwd: bare, env: { ...c.env, NODE_OPTIONS: `--require ${probe}` } },
      '-p',
      'demo',
      'ps',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(report, 'utf8'), 'false');
    assert.match(r.stdout, /^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS\n/);
    assert.deepEqual(names(r.stdout), ['demo-hc-1', 'demo-web-1', 'demo-web-2']);
    assert.match(r.stdout, /\ndemo-web-1 +busybox +"sh -c echo web line…" +web +\S.* ago +Up \S/);
    const all = ps('-a');
    assert.deepEqual(names(all.stdout), ['demo-db-1', 'demo-hc-1', 'demo-web-1', 'demo-web-2', 'demo-web-3']);
    assert.match(all.stdout, /\ndemo-db-1 .* Exited \(3\) /);
  });

  test('ps -q, --services, --status, --filter and service operands', () => {
    assert.deepEqual(ps('-q').stdout.split('\n').filter(Boolean), [ids.hc1, ids.web1, ids.web2]);
    assert.equal(ps('--services').stdout, 'hc\nweb\n');
    assert.equal(ps('-a', '--services').stdout, 'db\nhc\nweb\n');
    assert.equal(ps('--status', 'exited', '-q').stdout, `${ids.db1}\n`);
    assert.equal(ps('--filter', 'status=exited', '--services').stdout, 'db\n');
    assert.deepEqual(ps('-q', 'web').stdout.split('\n').filter(Boolean), [ids.web1, ids.web2]);
    const bad = ps('--status', 'up');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /invalid status "up"/);
  });

  test('ps --format json: docker compose fields, health and exit codes', async () => {
    // The healthcheck runs every 100 ms: healthy soon after the start.
    let hc: Record<string, unknown> = {};
    for (let i = 0; i < 50 && hc.Health !== 'healthy'; i++) {
      const lines = ps('--format', 'json', 'hc').stdout.split('\n').filter(Boolean);
      hc = JSON.parse(lines[0]);
      if (hc.Health !== 'healthy') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(hc.Health, 'healthy');
    assert.match(String(hc.Status), /^Up .* \(healthy\)$/);
    const rows = ps('-a', '--format', 'json')
      .stdout.split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const db = rows.find((r) => r.Name === 'demo-db-1');
    assert.deepEqual(
      { ID: db.ID, Project: db.Project, Service: db.Service, State: db.State, ExitCode: db.ExitCode },
      { ID: ids.db1.slice(0, 12), Project: 'demo', Service: 'db', State: 'exited', ExitCode: 3 },
    );
    assert.match(db.Status, /^Exited \(3\) /);
    assert.deepEqual(db.Publishers, []);
    assert.equal(db.Image, 'busybox');
    const web = rows.find((r) => r.Name === 'demo-web-1');
    assert.equal(web.Health, '');
    assert.equal(web.ExitCode, 0);
  });

  test('ps with a compose file: its services only; an unknown service is an error', () => {
    const r = c.cliWith({ cwd: withFile }, 'ps', '-q');
    assert.equal(r.status, 0, r.stderr);
    // hc is not in the file: an orphan, left out until -a.
    assert.deepEqual(r.stdout.split('\n').filter(Boolean), [ids.web1, ids.web2]);
    const bad = c.cliWith({ cwd: withFile }, 'ps', 'nosuch');
    assert.deepEqual(
      { status: bad.status, stderr: bad.stderr },
      { status: 1, stderr: 'no such service: nosuch\n' },
    );
    const other = c.cliWith({ cwd: bare }, '-p', 'other', 'ps', '--services');
    assert.equal(other.stdout, 'web\n');
  });

  test('logs: prefixed lines, stderr on stderr; --no-log-prefix, --tail, -t, --index, --since/--until, colour', () => {
    const r = logs('web', 'db');
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.split('\n').filter(Boolean).sort();
    assert.deepEqual(out, [
      'db-1   | db ready',
      'web-1  | web line 1',
      'web-1  | web line 2',
      'web-2  | web two',
    ]);
    assert.equal(r.stderr, 'web-1  | web err\n');
    assert.equal(logs('--no-log-prefix', 'db').stdout, 'db ready\n');
    // The last line of web-1 is the one on stderr.
    const tail = logs('--tail', '1', 'web');
    assert.deepEqual(
      { stdout: tail.stdout, stderr: tail.stderr },
      { stdout: 'web-2  | web two\n', stderr: 'web-1  | web err\n' },
    );
    const second = logs('-n', '2', '--index', '1', 'web');
    assert.deepEqual(
      { stdout: second.stdout, stderr: second.stderr },
      { stdout: 'web-1  | web line 2\n', stderr: 'web-1  | web err\n' },
    );
    assert.equal(logs('--index', '2', 'web').stdout, 'web-2  | web two\n');
    assert.match(logs('-t', 'db').stdout, /^db-1 {2}\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z db ready\n$/);
    assert.equal(logs('--until', '2000-01-01T00:00:00Z', 'db').stdout, '');
    assert.equal(logs('--since', '2000-01-01T00:00:00Z', 'db').stdout, 'db-1  | db ready\n');
    // Colour where asked for (a pipe gets none by itself), and never with --no-color.
    assert.equal(
      c.cliWith({ cwd: bare }, '-p', 'demo', '--ansi', 'always', 'logs', 'db').stdout,
      '\x1b[36mdb-1  | \x1b[0mdb ready\n',
    );
    assert.equal(logs('--no-color', 'db').stdout, 'db-1  | db ready\n');
    assert.equal(
      c.cliWith({ cwd: bare }, '-p', 'demo', '--ansi', 'always', 'logs', '--no-color', 'db').stdout,
      'db-1  | db ready\n',
    );
    // A container whose logs cannot be read (log driver none): a warning, the others' lines, and with
    // -f no endless retry.
    make('demo', 'quiet', 1, 'echo hidden; exec sleep 1000', ['--log-driver', 'none']);
    try {
      const quiet = logs('quiet', 'db');
      assert.equal(quiet.status, 0, quiet.stderr);
      assert.equal(quiet.stdout, 'db-1     | db ready\n');
      assert.match(
        quiet.stderr,
        /^WARN\[0000\] Can't retrieve logs for "quiet-1": .*does not support reading\n$/,
      );
      const followed = c.cliWith({ cwd: bare, timeout: 20_000 }, '-p', 'demo', 'logs', '-f', 'quiet');
      assert.equal(followed.status, 0, followed.stderr);
    } finally {
      c.cli('container', 'rm', '-f', 'demo-quiet-1');
    }
    const noIndex = logs('--index', '1');
    assert.equal(noIndex.status, 1);
    assert.match(noIndex.stderr, /--index requires one service/);
  });

  test('logs -f follows a restarted container, and ends when it stops for good', async () => {
    const bin = path.join(c.dir, 'build', 'bin', 'run.js');
    const child = spawn(process.execPath, [bin, '-p', 'demo', 'logs', '-f', '--index', '2', 'web'], {
      cwd: bare,
      env: c.env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = async (re: RegExp): Promise<void> => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, re);
    };
    try {
      await until(/web two\n/);
      assert.equal(c.cli('container', 'restart', '-t', '0', 'demo-web-2').status, 0);
      await until(/web two\n[^]*web two\n/);
      assert.equal(c.cli('container', 'stop', '-t', '0', 'demo-web-2').status, 0);
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
    assert.match(
      out,
      /^web-2 {2}\| web two\n(web-2 exited with code 137\n)?web-2 {2}\| web two\nweb-2 exited with code 137\n$/,
    );
    assert.equal(c.cli('container', 'start', 'demo-web-2').status, 0);
  });

  test('a leading -f names the file; after logs it is --follow: new containers too, until killed', async () => {
    const bin = path.join(c.dir, 'build', 'bin', 'run.js');
    const child = spawn(process.execPath, [bin, '-f', 'compose.yaml', 'logs', '-f', 'web'], {
      cwd: withFile,
      env: c.env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 100 && !/web-1 +\| web line 2\n/.test(out); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /web-1 +\| web line 1\n/);
      // A new container of the service (a scale-up) is followed from its start.
      make('demo', 'web', 4, 'echo web four; exec sleep 1000');
      for (let i = 0; i < 100 && !/web-4 +\| web four\n/.test(out); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /web-4 +\| web four\n/);
      // Still following a while later.
      const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 500))]);
      assert.equal(early, 'running');
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
    assert.doesNotMatch(out, /other/);
  });
});
