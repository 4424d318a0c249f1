/**
 * The daemon SIGKILLed in the middle of an unpack, an `image rm` and a pull: the daemon its
 * reaper starts again reclaims what the dead one left (temp unpack dirs, half-removed layers,
 * partial downloads, blobs and layers of no image, lock files), the index stays consistent and
 * the images that were complete still run. The layer has many files so each step takes long
 * enough to be caught in the middle.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';
import { tarBuffer, type TarEntry } from '../helpers/image-builder';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry';

const FILES = 3_000;
const skip = busyboxMissing() || registryMissing();

const entries = (d: string) => fs.readdirSync(d, { withFileTypes: false }) as string[];
const list = (d: string): string[] => (fs.existsSync(d) ? entries(d) : []);
const readJson = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(f, 'utf8'));

describe('a daemon killed while it works on images', { skip }, () => {
  const e = useCliEngine('tscompose-image-crash-');
  const images = path.join(e.root, 'images');
  const bigTar = path.join(e.dir, 'big.tar');
  let reg: TestRegistry;

  before(async () => {
    const many: TarEntry[] = [];
    for (let d = 0; d < FILES / 1000; d++) {
      many.push([{ name: `data/d${d}/`, type: 'directory', mode: 0o755 }]);
      for (let f = 0; f < 1000; f++) many.push([{ name: `data/d${d}/f${f}` }, `${d}/${f}\n`]);
    }
    fs.writeFileSync(bigTar, await tarBuffer(many));
    reg = await startRegistry();
  });
  after(async () => {
    await reg?.stop();
  });

  const daemonPid = (): number => Number(readJson(path.join(e.runRoot, 'engine.json')).pid);

  /** Starts `args`, SIGKILLs the daemon once `caught()` holds, waits for the reaper's new daemon. */
  async function killDuring(args: string[], caught: () => boolean): Promise<void> {
    const pid = daemonPid();
    const child = spawn(process.execPath, [path.join(e.dir, 'build', 'bin', 'run.js'), ...args], {
      env: e.env,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    const t0 = Date.now();
    while (!caught()) {
      assert.ok(Date.now() - t0 < 60_000, `never caught ${args.join(' ')} in the middle`);
      assert.equal(child.exitCode, null, `${args.join(' ')} ended before it was caught`);
      await new Promise((r) => setTimeout(r, 5));
    }
    process.kill(pid, 'SIGKILL');
    await exited;
    const t1 = Date.now();
    while (e.cli('engine', 'status').status !== 0 || daemonPid() === pid) {
      assert.ok(Date.now() - t1 < 30_000, 'no daemon came back');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** problems() once the restarted daemon's background removal of dead layers is done. */
  async function settled(): Promise<string[]> {
    for (let i = 0; i < 300 && problems().length; i++) await new Promise((r) => setTimeout(r, 100));
    return problems();
  }

  /** Leftovers and inconsistencies in the store; [] when clean. */
  function problems(): string[] {
    const out: string[] = [];
    for (const n of list(path.join(images, 'layers'))) if (n.startsWith('.')) out.push(`layers/${n}`);
    for (const d of ['ingest', 'locks']) for (const n of list(path.join(images, d))) out.push(`${d}/${n}`);
    for (const n of list(images)) if (n.endsWith('.tmp') || n.includes('.damaged-')) out.push(n);
    const blob = (d: string) => path.join(images, 'blobs', 'sha256', d.slice(7));
    const index = readJson(path.join(images, 'images.json')) as Record<string, { id: string }>;
    const tags = readJson(path.join(images, 'repositories.json')) as Record<string, string>;
    for (const [t, m] of Object.entries(tags)) if (!index[m]) out.push(`tag ${t} names no image`);
    const blobs = new Set<string>();
    const layers = new Set<string>();
    for (const [m, r] of Object.entries(index)) {
      const manifest = readJson(blob(m)) as { config: { digest: string }; layers: { digest: string }[] };
      const config = readJson(blob(r.id)) as { rootfs: { diff_ids: string[] } };
      for (const d of [m, r.id, ...manifest.layers.map((l) => l.digest)]) blobs.add(d.slice(7));
      for (const d of config.rootfs.diff_ids) {
        layers.add(d.slice(7));
        if (!fs.existsSync(path.join(images, 'layers', d.slice(7), 'diff'))) out.push(`layer ${d} missing`);
      }
    }
    for (const b of list(path.join(images, 'blobs', 'sha256')))
      if (!blobs.has(b)) out.push(`blob ${b} of no image`);
    for (const l of list(path.join(images, 'layers')))
      if (!l.startsWith('.') && !layers.has(l)) out.push(`layer ${l} of no image`);
    for (const l of list(path.join(images, 'l')))
      if (!fs.existsSync(path.join(images, 'l', l))) out.push(`link l/${l} to nothing`);
    return out;
  }

  /** busybox, imported before any crash, still runs. */
  function busyboxRuns(): void {
    const r = e.cli('container', 'run', '--rm', 'busybox', 'echo', 'still here');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'still here\n');
  }

  const tmpDir = () => list(path.join(images, 'layers')).some((n) => n.startsWith('.tmp-'));

  test('killed during an unpack, then the import is retried', async () => {
    await killDuring(['image', 'import', bigTar, 'big:1'], tmpDir);
    assert.deepEqual(await settled(), []);
    busyboxRuns();
    const again = e.cli('image', 'import', bigTar, 'big:1');
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(await settled(), []);
  });

  test('killed during a pull, then the pull is retried', async () => {
    const ref = `${reg.host}/crash/big:1`;
    assert.equal(e.cli('image', 'tag', 'big:1', ref).status, 0);
    const push = e.cli('image', 'push', ref);
    assert.equal(push.status, 0, push.stderr);
    assert.equal(e.cli('image', 'rm', ref, 'big:1').status, 0);
    await killDuring(['image', 'pull', ref], () => tmpDir() || list(path.join(images, 'ingest')).length > 0);
    assert.deepEqual(await settled(), []);
    busyboxRuns();
    const pull = e.cli('image', 'pull', ref);
    assert.equal(pull.status, 0, pull.stderr);
    assert.deepEqual(await settled(), []);
    const layer = (JSON.parse(e.cli('image', 'inspect', ref).stdout)[0] as { RootFS: { Layers: string[] } })
      .RootFS.Layers[0];
    const last = path.join(images, 'layers', layer.slice(7), 'diff', 'data', `d${FILES / 1000 - 1}`, 'f999');
    assert.equal(fs.readFileSync(last, 'utf8'), `${FILES / 1000 - 1}/999\n`);
  });

  test('killed during an image rm', async () => {
    const ref = `${reg.host}/crash/big:1`;
    if (e.cli('image', 'inspect', ref).status !== 0)
      assert.equal(e.cli('image', 'import', bigTar, ref).status, 0);
    await killDuring(['image', 'rm', ref], () =>
      list(path.join(images, 'layers')).some((n) => n.startsWith('.gc-')),
    );
    assert.deepEqual(await settled(), []);
    assert.notEqual(e.cli('image', 'inspect', ref).status, 0, 'the image is gone, as asked');
    busyboxRuns();
  });
});
