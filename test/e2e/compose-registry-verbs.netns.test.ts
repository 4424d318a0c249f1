/**
 * `push`, `pull`, `images`, `ls` and `version` through the real CLI and its daemon, in this file's
 * own network namespace, against Debian's docker-registry on 127.0.0.1: push sends only what the
 * project builds (and fails or warns for an image it lacks); pull follows the pull policy
 * (`missing` leaves a present tag alone, `always` fetches what the registry has now), skips what
 * has nothing to pull or can be built, fails for a missing image unless told to ignore it; then
 * the project up: images in its three formats, ls while it runs and with -a once stopped.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxLayers, busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry';

const skip = busyboxMissing() || registryMissing();

/** A PID 1 that TERM ends at once. */
const LOOP = `["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]`;

/** The registry's answer to GET `p`: status and body. */
function registryGet(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('compose push, pull, images, ls and version', { skip }, () => {
  const e = useCliEngine('tscompose-regverbs-', {
    // No credentials of the machine's: the registry is anonymous.
    DOCKER_CONFIG: path.join(os.tmpdir(), `tscompose-regverbs-no-config-${process.pid}`),
  });
  let reg: TestRegistry;
  let file: string;
  let R: string;
  before(async () => {
    reg = await startRegistry();
    R = reg.host;
    fs.mkdirSync(path.join(e.dir, 'ctx'));
    fs.writeFileSync(path.join(e.dir, 'ctx', 'Dockerfile'), 'FROM busybox\n');
    file = path.join(e.dir, 'compose.yaml');
    fs.writeFileSync(
      file,
      `name: rv
services:
  app:
    image: ${R}/rv/app:v1
    build: ./ctx
    command: ${LOOP}
  side:
    image: ${R}/rv/side:v1
    command: ${LOOP}
  ghost:
    image: ${R}/rv/ghost:v1
    build: ./ctx
  tool:
    build: ./ctx
  nothere:
    image: ${R}/rv/nothere:v1
`,
    );
  });
  after(async () => {
    await reg?.stop();
  });

  const f = (): string[] => ['-f', file, '--progress', 'plain'];
  const ok = (...args: string[]): { stdout: string; stderr: string } => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const imageId = (...refs: string[]): string =>
    ok('image', 'inspect', '--format', '{{.Id}}', ...refs).stdout.trim();

  test('push what the project builds; pull by policy, skips, failures ignored or not', async () => {
    const busybox = imageId('busybox');
    ok('image', 'tag', 'busybox', `${R}/rv/app:v1`);

    // Only app has both build and image of its own that is here: pushed; side and tool skipped.
    const pushed = ok(...f(), 'push', 'app', 'side', 'tool');
    assert.match(pushed.stderr, new RegExp(`^${R}/rv/app:v1 {2}Pushed$`, 'm'));
    assert.match(pushed.stderr, /^side {2}Skipped$/m);
    assert.match(pushed.stderr, /^tool {2}Skipped$/m);
    assert.deepEqual(JSON.parse((await registryGet(reg.port, '/v2/rv/app/tags/list')).body).tags, ['v1']);
    assert.equal((await registryGet(reg.port, '/v2/rv/side/tags/list')).status, 404);

    // ghost's image is not here: the push fails (exit 1, the engine's reason), unless ignored.
    const failed = e.cli(...f(), 'push');
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, new RegExp(`^${R}/rv/ghost:v1 {2}Error`, 'm'));
    const ignored = ok(...f(), 'push', '-q', '--ignore-push-failures');
    assert.equal(ignored.stderr, '', '-q: no progress');

    // side:v1 in the registry is another image than the one tagged so here.
    const tar = busyboxLayers().layers[0];
    ok('image', 'import', '-c', 'ENV SIDE=2', tar, `${R}/rv/side:v1`);
    const remote = imageId(`${R}/rv/side:v1`);
    assert.notEqual(remote, busybox);
    ok('image', 'push', `${R}/rv/side:v1`);
    ok('image', 'tag', 'busybox', `${R}/rv/side:v1`);

    const missing = ok(...f(), 'pull', '--policy', 'missing', 'side');
    assert.match(
      missing.stderr,
      new RegExp(`Image ${R}/rv/side:v1 {2}Skipped Image is already present locally`),
    );
    assert.equal(imageId(`${R}/rv/side:v1`), busybox, 'missing: the present tag is left alone');
    const always = ok(...f(), 'pull', '--policy', 'always', 'side');
    assert.match(always.stderr, new RegExp(`Image ${R}/rv/side:v1 {2}Pulled`));
    assert.equal(imageId(`${R}/rv/side:v1`), remote, 'always: what the registry has now');

    // Pulled back after removal: the very image pushed.
    ok('image', 'rm', `${R}/rv/app:v1`);
    ok(...f(), 'pull', 'app');
    assert.equal(imageId(`${R}/rv/app:v1`), busybox);

    // Everything: nothere fails the pull; ghost can be built (a warning); tool has nothing to pull.
    const all = e.cli(...f(), 'pull');
    assert.equal(all.status, 1, all.stderr);
    assert.match(all.stderr, new RegExp(`^Image ${R}/rv/nothere:v1 {2}Error`, 'm'));
    assert.match(all.stderr, new RegExp(`^Image ${R}/rv/ghost:v1 {2}Warning`, 'm'));
    assert.match(all.stderr, /^tool {2}Skipped No image to be pulled$/m);
    assert.match(all.stderr, /must be built from source: ghost/);
    const ghost = e.cli(...f(), 'pull', 'ghost');
    assert.equal(
      ghost.status,
      1,
      'a pull that failed fails the command, even for an image that can be built',
    );
    assert.match(ghost.stderr, new RegExp(`^Image ${R}/rv/ghost:v1 {2}Warning`, 'm'));
    const tolerant = ok(...f(), 'pull', '--ignore-pull-failures', '--ignore-buildable');
    assert.match(tolerant.stderr, new RegExp(`^Image ${R}/rv/side:v1 {2}Pulled$`, 'm'));
    assert.match(tolerant.stderr, new RegExp(`^Image ${R}/rv/app:v1 {2}Skipped Image can be built$`, 'm'));
    assert.match(tolerant.stderr, new RegExp(`^Image ${R}/rv/nothere:v1 {2}Error`, 'm'));

    // --dry-run: said, not done (nothere would fail otherwise).
    const dry = ok(...f(), '--dry-run', 'pull', 'nothere');
    assert.match(dry.stderr, new RegExp(`^DRY-RUN MODE - Image ${R}/rv/nothere:v1 {2}Pulled$`, 'm'));

    const bad = e.cli(...f(), 'pull', '--policy', 'sometimes');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /invalid --policy "sometimes"/);
  });

  test('images and ls while the project runs; ls -a once it is stopped; version', () => {
    try {
      ok(...f(), 'up', '-d', 'app', 'side');
      const [appId, sideId] = imageId(`${R}/rv/app:v1`, `${R}/rv/side:v1`).split('\n');

      const table = ok(...f(), 'images').stdout.split('\n');
      assert.match(
        table[0],
        /^CONTAINER {11}REPOSITORY +TAG {17}PLATFORM {12}IMAGE ID {12}SIZE {16}CREATED$/,
      );
      assert.match(
        table[1],
        new RegExp(`^rv-app-1 +${R}/rv/app +v1 +linux/\\w+ +${appId.slice(7, 19)} +\\S+B +(\\d+|About|Less)`),
      );
      assert.match(table[2], new RegExp(`^rv-side-1 +${R}/rv/side +v1 +linux/\\w+ +${sideId.slice(7, 19)} `));
      assert.equal(table.length, 4);
      assert.equal(ok('-p', 'rv', 'images', '-q').stdout, `${appId.slice(7)}\n${sideId.slice(7)}\n`);
      const json = JSON.parse(ok(...f(), 'images', '--format', 'json', 'side').stdout) as Record<
        string,
        unknown
      >[];
      assert.equal(json.length, 1);
      assert.deepEqual(Object.keys(json[0]), [
        'ID',
        'ContainerName',
        'Repository',
        'Tag',
        'Platform',
        'Size',
        'Created',
      ]);
      assert.equal(json[0].ID, sideId);
      assert.equal(json[0].ContainerName, 'rv-side-1');
      assert.equal(json[0].Repository, `${R}/rv/side`);
      assert.equal(typeof json[0].Size, 'number');

      assert.match(
        ok('ls').stdout,
        new RegExp(`^NAME {16}STATUS {14}CONFIG FILES\nrv {18}running\\(2\\) {10}${file}\n$`),
      );
      assert.deepEqual(JSON.parse(ok('ls', '--format', 'json').stdout), [
        { Name: 'rv', Status: 'running(2)', ConfigFiles: file },
      ]);
      assert.equal(ok('ls', '-q', '--filter', 'name=r.').stdout, 'rv\n');
      assert.equal(ok('ls', '-q', '--filter', 'name=other').stdout, '');

      ok('container', 'stop', 'rv-side-1');
      assert.match(ok('ls').stdout, /^rv +running\(1\) /m, 'running: the stopped container is not counted');
      ok('container', 'stop', 'rv-app-1');
      assert.equal(ok('ls', '-q').stdout, '', 'no running container: not listed without -a');
      assert.deepEqual(JSON.parse(ok('ls', '-a', '--format', 'json').stdout), [
        { Name: 'rv', Status: 'exited(2)', ConfigFiles: file },
      ]);
      const badFilter = e.cli('ls', '--filter', 'status=running');
      assert.equal(badFilter.status, 1);
      assert.match(badFilter.stderr, /invalid filter 'status'/);
    } finally {
      e.cli(...f(), 'down', '-t', '0');
    }

    assert.match(ok('version').stdout, /^tscompose version v\d+\.\d+\.\d+\n$/);
    assert.match(JSON.parse(ok('-f', file, 'version', '-f', 'json').stdout).version, /^v\d+\.\d+\.\d+$/);
  });
});
