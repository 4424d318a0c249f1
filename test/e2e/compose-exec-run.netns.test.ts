/**
 * The compose verbs that reach into a service's containers, through the real CLI and its
 * daemon on the example stack (examples/demo), in this file's own network namespace: `run`
 * (--rm with --service-ports and -e, the port answering while it runs; dependencies brought up
 * first; a one-off's name, labels, ports and aliases; -d), `exec` (-T, -u, -w, -e, --index on a
 * scaled service, the exit code, a replica that is not there), `port`, `top`, `stats` (the
 * project's containers only) and `attach` (its exit code once a proxied signal ends the container).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT } from '../helpers/cli';
import { useCliEngine } from '../helpers/cli-engine';
import { httpGet } from '../helpers/http-get';
import { shellQuote, Tmux, tmuxMissing } from '../helpers/tmux';

const DEMO = path.join(REPO_ROOT, 'examples', 'demo');
const PORT = 18087;

/** What the tests read of `container inspect`. */
interface Details {
  Name: string;
  Config: { Labels: Record<string, string> };
  HostConfig: { RestartPolicy?: { Name?: string } };
  NetworkSettings: { Ports?: unknown; Networks: Record<string, { Aliases?: string[] }> };
}

interface Running {
  /** What it printed so far. */
  stdout(): string;
  pid: number;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

describe('compose exec, run, port, top, stats and attach', () => {
  const e = useCliEngine('tscompose-oneoff-', { DEMO_PORT: String(PORT) });
  const f = ['--project-directory', DEMO, '-f', path.join(DEMO, 'compose.yaml'), '--progress', 'plain'];
  const ok = (...args: string[]): string => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** The CLI in the background (the sync helper would block the port checks). */
  const background = (...args: string[]): Running => {
    const child = spawn(process.execPath, [path.join(e.dir, 'build', 'bin', 'run.js'), ...args], {
      env: e.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return { stdout: () => stdout, pid: child.pid ?? 0, done };
  };
  const until = async (what: string, check: () => Promise<boolean> | boolean): Promise<void> => {
    const t0 = Date.now();
    while (!(await check())) {
      assert.ok(Date.now() - t0 < 20_000, `timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const details = (name: string): Details => (JSON.parse(ok('container', 'inspect', name)) as Details[])[0];
  /** The hostname of demo-cache-1 (its short id). */
  let cacheHost1 = '';

  before(() => {
    const tar = path.join(e.dir, 'rootfs.tar');
    const made = spawnSync(path.join(DEMO, 'make-image.sh'), [tar], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    ok('image', 'import', '-c', 'CMD ["sh"]', tar, 'demo-busybox:latest');
  });

  test('run, exec, port, top, stats and attach on the demo stack', async () => {
    try {
      await runThenUp();
      execPortTop();
      oneOffs();
      await terminal();
      await attach();
    } finally {
      e.cli(...f, 'down', '-v', '--remove-orphans', '-t', '0');
    }
  });

  async function runThenUp(): Promise<void> {
    // run --rm --service-ports -e: the one-off serves what -e gave it on web's published port,
    // and ends (exit 7) once it has answered a request.
    const serve =
      'echo "$GREETING" > /tmp/index.html; httpd -f -v -p 80 -h /tmp 2>/tmp/log & ' +
      'until grep -q response:200 /tmp/log 2>/dev/null; do sleep 0.1; done; exit 7';
    const run = background(
      ...f,
      'run',
      '--rm',
      '--service-ports',
      '-e',
      'GREETING=hi from run',
      'web',
      'sh',
      '-c',
      serve,
    );
    let page = '';
    await until('the one-off to answer on its published port', async () => {
      page = (await httpGet(PORT).catch(() => '')) || '';
      return page !== '';
    });
    assert.match(page, /200 OK[\s\S]*hi from run/);
    const ran = await run.done;
    assert.equal(ran.code, 7, ran.stderr);
    assert.equal(ok('container', 'ls', '-a', '-q', '--filter', 'label=com.docker.compose.project=demo'), '');

    // A service with dependencies: web (healthy) and cache are brought up first and reached by name.
    const w = e.cli(
      ...f,
      'run',
      '--rm',
      '-T',
      '-e',
      'X=1',
      'worker',
      'sh',
      '-c',
      'wget -q -O- http://web/ >/dev/null && echo "$X ok"',
    );
    assert.equal(w.status, 0, w.stderr);
    assert.equal(w.stdout, '1 ok\n');
    assert.match(w.stderr, /Container demo-web-1 {2}Started/);
    assert.match(w.stderr, /Container demo-cache-1 {2}Started/);
    assert.equal(ok('container', 'inspect', '--format', '{{.State.Status}}', 'demo-web-1'), 'running\n');

    const up = e.cli(...f, 'up', '-d', '--wait', '--scale', 'cache=2');
    assert.equal(up.status, 0, up.stderr);
  }

  function execPortTop(): void {
    const code = e.cli(...f, 'exec', '-T', 'web', 'sh', '-c', 'exit 3');
    assert.equal(code.status, 3, code.stderr);
    assert.equal(
      ok(
        ...f,
        'exec',
        '-T',
        '-u',
        '1000',
        '-w',
        '/tmp',
        '-e',
        'A=x',
        'web',
        'sh',
        '-c',
        'echo "$A $(id -u) $(pwd)"',
      ),
      'x 1000 /tmp\n',
    );
    const [host1, host2] = ok('container', 'inspect', '--format', '{{.Id}}', 'demo-cache-1', 'demo-cache-2')
      .split('\n')
      .map((id) => id.slice(0, 12));
    assert.notEqual(host1, host2);
    assert.equal(ok(...f, 'exec', '-T', '--index', '2', 'cache', 'hostname'), `${host2}\n`);
    cacheHost1 = host1;
    const none = e.cli(...f, 'exec', '-T', '--index', '3', 'cache', 'true');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /service "cache" is not running container #3/);

    assert.equal(ok(...f, 'port', 'web', '80'), `0.0.0.0:${PORT}\n`);
    const unpublished = e.cli(...f, 'port', 'web', '81');
    assert.equal(unpublished.status, 1);
    assert.match(unpublished.stderr, new RegExp(`no port 81/tcp for container demo-web-1: ${PORT}/tcp`));

    const top = ok(...f, 'top', 'web').split('\n');
    assert.match(top[0], /^SERVICE +# +UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
    assert.ok(
      top.some((l) => /^web +1 +root +\d+ .*httpd -f -p 80 -h \/www$/.test(l)),
      top.join('\n'),
    );

    // stats: the project's containers, not another one of the engine.
    ok('container', 'run', '-d', '--name', 'outsider', 'busybox', 'sleep', '60');
    const table = ok(...f, 'stats', '--no-stream')
      .split('\n')
      .filter(Boolean);
    assert.match(table[0], /^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT/);
    const names = table.slice(1).map((l) => l.split(/ +/)[1]);
    assert.deepEqual(names.sort(), ['demo-cache-1', 'demo-cache-2', 'demo-web-1', 'demo-worker-1']);
    ok('container', 'rm', '-f', 'outsider');
  }

  function oneOffs(): void {
    // run -d: the id printed; docker compose's name and labels; no port without --service-ports;
    // no service alias without --use-aliases.
    const id = ok(...f, 'run', '-d', 'web', 'sleep', '60').trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const c = details(id);
    const m = /^\/demo-web-run-([0-9a-f]{12})$/.exec(c.Name);
    assert.ok(m, c.Name);
    const labels = c.Config.Labels;
    assert.equal(labels['com.docker.compose.oneoff'], 'True');
    assert.equal(labels['com.docker.compose.project'], 'demo');
    assert.equal(labels['com.docker.compose.service'], 'web');
    assert.match(labels['com.docker.compose.slug'], new RegExp(`^${m[1]}[0-9a-f]{52}$`));
    assert.equal(labels['com.docker.compose.container-number'], undefined);
    assert.ok(!JSON.stringify(c.NetworkSettings.Ports ?? {}).includes('HostPort'), 'no published port');
    const restart = c.HostConfig.RestartPolicy?.Name;
    assert.ok(!restart || restart === 'no', `web's restart policy is not the one-off's: ${restart}`);
    const aliases = (d: Details): string[] => d.NetworkSettings.Networks.demo_default.Aliases ?? [];
    assert.ok(!aliases(c).includes('web'), aliases(c).join(','));

    const named = ok(
      ...f,
      'run',
      '-d',
      '-q',
      '--no-deps',
      '--use-aliases',
      '--name',
      'demo-debug',
      '-l',
      'x=y',
      'cache',
      'sleep',
      '60',
    );
    assert.equal(named, '', '-q prints nothing');
    const debug = details('demo-debug');
    assert.ok(aliases(debug).includes('cache'), aliases(debug).join(','));
    assert.equal(debug.Config.Labels.x, 'y');
    // exec prefers the service's own replicas over its one-offs.
    assert.equal(ok(...f, 'exec', '-T', 'cache', 'hostname'), `${cacheHost1}\n`);
  }

  /** exec and run without -T under a terminal: the command gets one, and its exit code is ours. */
  async function terminal(): Promise<void> {
    if (tmuxMissing()) return;
    const tmux = new Tmux(e.dir);
    const vars = ['TSCOMPOSE_ROOT', 'TSCOMPOSE_RUNROOT', 'TSCOMPOSE_CONFIG', 'DEMO_PORT'].flatMap((k) =>
      e.env[k] === undefined ? [] : [`${k}=${e.env[k]}`],
    );
    const line = (args: string[], file: string): string =>
      `${['env', ...vars, process.execPath, path.join(e.dir, 'build', 'bin', 'run.js'), ...f, ...args]
        .map(shellQuote)
        .join(' ')}; echo $? > ${shellQuote(file)}`;
    const ended = async (file: string): Promise<string> => {
      await until(
        `the command in the terminal to end:\n${tmux.screen()}`,
        () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').endsWith('\n'),
      );
      return fs.readFileSync(file, 'utf8').trim();
    };
    try {
      const tty = 'tty; [ -t 0 ] && echo stdin-tty; exit 5';
      tmux.open(line(['exec', 'web', 'sh', '-c', tty], path.join(e.dir, 'exec-code')), { env: e.env });
      assert.equal(await ended(path.join(e.dir, 'exec-code')), '5');
      await tmux.waitFor(/^\/dev\/pts\/\d+\r?\nstdin-tty$/m);
      tmux.open(line(['run', '--rm', '--no-deps', 'web', 'sh', '-c', tty], path.join(e.dir, 'run-code')), {
        window: 'run',
      });
      assert.equal(await ended(path.join(e.dir, 'run-code')), '5');
      await tmux.waitFor(/^\/dev\/pts\/0\r?\nstdin-tty$/m, 'run');
    } finally {
      tmux.kill();
    }
  }

  async function attach(): Promise<void> {
    // attach --no-stdin: the worker's output, then its exit code once the SIGTERM we pass on ends it.
    const a = background(...f, 'attach', '--no-stdin', 'worker');
    await until("the worker's output through attach", () => /web said/.test(a.stdout()));
    process.kill(a.pid, 'SIGTERM');
    const attached = await a.done;
    assert.equal(attached.code, 143, attached.stderr);
  }
});
