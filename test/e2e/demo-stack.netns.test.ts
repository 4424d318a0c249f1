/**
 * The example stack (examples/demo), as the README's main command runs it, in this file's own
 * network namespace: its image made by make-image.sh and `image import`, `up -d --wait`, the
 * published port answering, the worker reaching web and cache by service name and writing to
 * the `data` volume, and `down -v` leaving no container, network or volume of the project.
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

  test('up --wait, the port, names and the volume; down -v leaves nothing', async () => {
    try {
      await upCheckedDown();
    } finally {
      e.cli(...f, 'down', '-v', '-t', '0'); // after a failure: the leak sweep then names what down left
    }
  });

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

    const down = e.cli(...f, 'down', '-v');
    assert.equal(down.status, 0, down.stderr);
    assert.equal(ofProject('container', 'ls', '-a'), '');
    assert.equal(ofProject('network', 'ls'), '');
    assert.equal(ofProject('volume', 'ls'), '');
    assert.ok(!fs.existsSync(volume.Mountpoint), 'the volume is gone from disk');
  }
});
