/**
 * Hostile images through the real CLI and the daemon it starts: a load whose config names a
 * path as diff id and an OCI archive with a sha512 index entry answer one line (a 400), pulls
 * from a stub registry serving a mistyped config, a path-like layer digest and a gzip bomb fail
 * with one line and a nonzero exit; after each the same daemon serves the next request, the
 * canaries beside the state root are untouched and the store holds nothing of the image.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CliResult } from '../helpers/cli';
import { useCliEngine } from '../helpers/cli-engine';
import {
  bombLayer,
  configFor,
  dockerArchive,
  ociArchive,
  plantCanaries,
  smallLayer,
} from '../helpers/hostile-images';
import { MEDIA } from '../../src/engine/images/media';
import { startHostileRegistry } from '../helpers/hostile-registry';

/** From `<dir>/root/images/layers/`, three levels up is `<dir>`: where the canaries are. */
const OUT_OF_ROOT = 'sha256:../../../victim';

describe('hostile images through the CLI and the daemon', () => {
  const confDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-hostile-conf-'));
  const confFile = path.join(confDir, 'engine.json');
  // A small ratio so the bomb stops at 16 MiB; the rest of the settings are the defaults.
  fs.writeFileSync(confFile, JSON.stringify({ 'max-expansion-ratio': 16, 'default-network': 'none' }));
  const e = useCliEngine('tscompose-hostile-', { TSCOMPOSE_CONFIG: confFile });
  const canaries = plantCanaries(e.dir, [e.root, e.runRoot, path.join(e.dir, 'build')]);
  after(() => fs.rmSync(confDir, { recursive: true, force: true }));

  const daemonPid = (): number =>
    Number(JSON.parse(fs.readFileSync(path.join(e.runRoot, 'engine.json'), 'utf8')).pid);
  /** The CLI without blocking this process: the stub registry answers from here. */
  const cliAsync = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(e.dir, 'build', 'bin', 'run.js'), ...args], {
        env: e.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  const images = (): string[] => {
    const r = e.cli('image', 'ls', '-q', '--no-trunc');
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean).sort();
  };

  /** One line of error, a nonzero exit, the same daemon serving, nothing left in the store or outside. */
  const assertRefusedCleanly = (r: CliResult, re: RegExp, pid: number, before: string[]) => {
    assert.notEqual(r.status, 0, r.stdout);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line of error: ${r.stderr}`);
    assert.match(lines[0], re);
    assert.equal(daemonPid(), pid, 'the same daemon');
    assert.deepEqual(images(), before, 'no image added');
    const store = path.join(e.root, 'images');
    const ingest = path.join(store, 'ingest');
    assert.deepEqual(fs.existsSync(ingest) ? fs.readdirSync(ingest) : [], [], 'no ingest files');
    const temps = fs.readdirSync(path.join(store, 'layers')).filter((n) => n.startsWith('.'));
    assert.deepEqual(temps, [], 'no temp or half-removed layers');
    canaries.assertUntouched();
  };

  test('image load: a path as diff id and a sha512 index entry are one-line 400s', async () => {
    const before = images();
    const pid = daemonPid();
    const layer = await smallLayer();
    const tarFile = path.join(confDir, 'evil.tar');
    fs.writeFileSync(
      tarFile,
      await dockerArchive({ config: configFor([OUT_OF_ROOT]), layers: [layer.blob] }),
    );
    assertRefusedCleanly(
      e.cli('image', 'load', '-i', tarFile),
      /invalid image config sha256:[a-f0-9]{64}: rootfs\.diff_ids\[0\]: invalid digest "sha256:\.\.\/\.\.\/\.\.\/victim"/,
      pid,
      before,
    );
    const sha512 = `sha512:${'ef'.repeat(64)}`;
    const { archive } = await ociArchive(
      { config: configFor([layer.diffId]), layers: [layer.blob] },
      { index: [{ mediaType: MEDIA.ociManifest, digest: sha512, size: 100 }] },
    );
    fs.writeFileSync(tarFile, archive);
    assertRefusedCleanly(
      e.cli('image', 'load', '-i', tarFile),
      /index\.json: manifests\[0\]\.digest: invalid digest "sha512:[a-f0-9]+": unsupported algorithm sha512, only sha256 is supported/,
      pid,
      before,
    );
    fs.rmSync(tarFile);
  });

  test('image pull: a mistyped config, a path as layer digest and a gzip bomb are one-line errors', async (t) => {
    const reg = await startHostileRegistry();
    t.after(() => reg.close());
    const before = images();
    const pid = daemonPid();
    const layer = await smallLayer();
    const typed = reg.publish('evil/cmd', '1', {
      config: { ...configFor([layer.diffId]), config: { Cmd: 42 } },
      layers: [layer.blob],
    });
    assertRefusedCleanly(
      await cliAsync('image', 'pull', typed.ref),
      /invalid image config sha256:[a-f0-9]{64}: config\.Cmd: must be a list of strings, not number 42/,
      pid,
      before,
    );
    const pathy = reg.publish('evil/layer', '1', {
      config: configFor([layer.diffId]),
      layers: [layer.blob],
      mutate: (m) => (m.layers[0].digest = OUT_OF_ROOT),
    });
    assertRefusedCleanly(
      await cliAsync('image', 'pull', pathy.ref),
      /layers\[0\]\.digest: invalid digest "sha256:\.\.\/\.\.\/\.\.\/victim"/,
      pid,
      before,
    );
    const bomb = await bombLayer(128 * 1024 * 1024, 'gzip');
    const boom = reg.publish('evil/bomb', '1', { config: configFor([bomb.diffId]), layers: [bomb.blob] });
    assertRefusedCleanly(
      await cliAsync('image', 'pull', boom.ref),
      /layer sha256:[a-f0-9]{64} expands beyond the limit of 16:1 .*refusing a compression bomb/,
      pid,
      before,
    );
    // The bomb's blob was downloaded before the unpack refused it: it must not stay.
    assert.ok(
      !fs.existsSync(path.join(e.root, 'images', 'blobs', 'sha256', boom.layerDigests[0].slice(7))),
      'the bomb blob is gone',
    );
  });
});
