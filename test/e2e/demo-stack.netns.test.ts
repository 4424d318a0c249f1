/**
 * The example stack (examples/demo), as the README's main command runs it, in this file's own
 * network namespace: its image made by make-image.sh and `image import`, `up -d --wait`, the
 * published port answering, the worker reaching web and cache by service name and writing to
 * the `data` volume, web's crash undone by its restart policy, a changed port recreating web
 * alone, and `down -v` leaving no container, network or volume of the project.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT } from '../helpers/cli';
import { useCliEngine } from '../helpers/cli-engine';
import { httpGet } from '../helpers/http-get';

const DEMO = path.join(REPO_ROOT, 'examples', 'demo');
const PORT = 18085;

describe('the example stack', () => {
  const e = useCliEngine('tscompose-demo-', { DEMO_PORT: String(PORT) });
  const ok = (...args: string[]): string => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const f = ['--project-directory', DEMO, '-f', path.join(DEMO, 'compose.yaml'), '--progress', 'plain'];
  const ofProject = (...ls: string[]): string =>
    ok(...ls, '-q', '--filter', 'label=com.docker.compose.project=demo');

  before(() => {
    const tar = path.join(e.dir, 'rootfs.tar');
    const made = spawnSync(path.join(DEMO, 'make-image.sh'), [tar], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    ok('image', 'import', '-c', 'CMD ["sh"]', tar, 'demo-busybox:latest');
  });

  test('up --wait, the port, names and the volume; a crash restarted; a change recreates one service; down -v leaves nothing', async () => {
    try {
      await upCheckedDown();
    } finally {
      e.cli(...f, 'down', '-v', '-t', '0'); // after a failure: the leak sweep then names what down left
    }
  });

  /** What the port answers, once it answers (a restarted container takes a moment). */
  async function answer(port: number): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const got = await httpGet(port).catch((err: Error) => {
        assert.ok(Date.now() - t0 < 20_000, `port ${port}: ${err.message}`);
        return undefined;
      });
      if (got) return got;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function upCheckedDown(): Promise<void> {
    const up = e.cli(...f, 'up', '-d', '--wait');
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, /Container demo-web-1 {2}Healthy/);
    assert.match(await httpGet(PORT), /200 OK[\s\S]*<h1>hello from the demo's web service<\/h1>/);

    // The worker's lines name what web and cache answered: both were reached by service name.
    const volume = JSON.parse(ok('volume', 'inspect', 'demo_data'))[0] as { Mountpoint: string };
    const log = path.join(volume.Mountpoint, 'worker.log');
    const want = /^\d\d:\d\d:\d\d web said "hello from the demo's web service"; cache counted (\d+) visits$/;
    const t0 = Date.now();
    let lines: string[] = [];
    while (lines.filter((l) => want.test(l)).length < 2) {
      assert.ok(Date.now() - t0 < 20_000, `the worker wrote: ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 250));
      lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    }
    const counts = lines.filter((l) => want.test(l)).map((l) => Number(want.exec(l)?.[1]));
    assert.ok(counts[1] > counts[0], `the cache counts up: ${counts.join(', ')}`);
    assert.match(ok('container', 'logs', 'demo-worker-1'), /web said "hello from the demo's web service"/);

    // web crashes (its init killed from outside): `restart: unless-stopped` brings it back.
    const web = (format: string): string =>
      ok('container', 'inspect', '--format', format, 'demo-web-1').trim();
    process.kill(Number(web('{{.State.Pid}}')), 'SIGKILL');
    const t1 = Date.now();
    while (web('{{.RestartCount}} {{.State.Status}}') !== '1 running') {
      assert.ok(Date.now() - t1 < 20_000, `web after its crash: ${web('{{json .State}}')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(await answer(PORT), /hello from the demo's web service/);

    // Another port for web: web alone is recreated.
    const ids = (): Record<string, string> =>
      Object.fromEntries(
        ok(
          'container',
          'ls',
          '-a',
          '--filter',
          'label=com.docker.compose.project=demo',
          '--format',
          '{{.Names}} {{.ID}}',
        )
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(' ')),
      );
    const before = ids();
    const moved = e.cliWith({ env: { ...e.env, DEMO_PORT: String(PORT + 1) } }, ...f, 'up', '-d', '--wait');
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(moved.stderr, /Container demo-web-1 {2}Recreated/);
    const after = ids();
    assert.notEqual(after['demo-web-1'], before['demo-web-1']);
    assert.deepEqual(
      [after['demo-cache-1'], after['demo-worker-1']],
      [before['demo-cache-1'], before['demo-worker-1']],
    );
    assert.match(await answer(PORT + 1), /hello from the demo's web service/);
    await assert.rejects(httpGet(PORT), 'the old port is closed');

    const down = e.cli(...f, 'down', '-v');
    assert.equal(down.status, 0, down.stderr);
    assert.equal(ofProject('container', 'ls', '-a'), '');
    assert.equal(ofProject('network', 'ls'), '');
    assert.equal(ofProject('volume', 'ls'), '');
    assert.ok(!fs.existsSync(volume.Mountpoint), 'the volume is gone from disk');
  }
});
