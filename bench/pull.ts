/**
 * Pull time of a six-layer image (the busybox-static layers and three 4 MiB layers, gzip) from
 * Debian's docker-registry on 127.0.0.1: `tscompose image pull` through the CLI and its daemon
 * (download, verify, unpack; the image removed and pruned between runs, untimed), the library
 * pull into a fresh store, and beside them `skopeo copy docker://… dir:…` (download and verify
 * only, no unpacking) of the same image in the same run.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullImage } from '../src/engine/images/registry/pull';
import { pushImage } from '../src/engine/images/registry/push';
import { ImageStore } from '../src/engine/images/store';
import { busyboxLayers } from '../test/helpers/busybox-image';
import { loopbackOnlyConfig } from '../test/helpers/network-config';
import { startRegistry } from '../test/helpers/registry';
import { buildImage, storeImage } from '../test/helpers/registry-images';
import { median, report, which, type Timing } from './lib';

/** One regular file of `size` random bytes in a tar (random: gzip cannot shrink it, as with real binaries). */
function randomLayerTar(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('14553376000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (size % 512)) % 512);
  return Buffer.concat([header, crypto.randomBytes(size), pad, Buffer.alloc(1024)]);
}

async function timeAsync(
  name: string,
  runs: number,
  before: () => Promise<void> | void,
  fn: () => Promise<void> | void,
): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    await before();
    const t0 = process.hrtime.bigint();
    await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) times.push(ms); // the first run warms up
  }
  return { name, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `${path.basename(cmd)} ${args.join(' ')}: exit ${r.status}: ${(r.stderr || r.error?.message || '').slice(0, 300)}`,
    );
  return r.stdout;
}

export async function benchPull(bin: string, runs: number): Promise<void> {
  const n = Math.max(3, Math.min(runs, 10));
  console.log(`\n## pull of a 6-layer image (~13 MB gzip) from a local docker-registry (${n} runs)`);
  if (!fs.existsSync('/usr/bin/docker-registry')) {
    console.log('skipped: docker-registry is not installed (apt-get install docker-registry)');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bench-pull-'));
  const reg = await startRegistry();
  try {
    const layers = [
      ...busyboxLayers().layers,
      ...[1, 2, 3].map((i) => randomLayerTar(`data${i}.bin`, 4 << 20)),
    ];
    const built = buildImage({ compression: 'gzip', layers });
    const ref = `${reg.host}/bench/app:1`;
    const src = new ImageStore(path.join(dir, 'src'));
    await storeImage(src, built, ref);
    await pushImage(src, ref);

    const env = {
      ...process.env,
      TSCOMPOSE_ROOT: path.join(dir, 'root'),
      TSCOMPOSE_CONFIG: loopbackOnlyConfig(),
      TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
    };
    const cli = (...args: string[]) => run(process.execPath, [bin, ...args], env);
    const ours = await timeAsync(
      'tscompose image pull (CLI + daemon)',
      n,
      () => {
        spawnSync(process.execPath, [bin, 'image', 'rm', ref], { env });
        cli('image', 'prune', '-a', '-f');
      },
      () => {
        const out = cli('image', 'pull', ref);
        if (out.includes('Already exists')) throw new Error('bench: a layer was left from the run before');
      },
    );
    cli('engine', 'stop');
    let k = 0;
    const library = await timeAsync(
      'pullImage (in-process, fresh store)',
      n,
      () => undefined,
      async () => {
        await pullImage(new ImageStore(path.join(dir, `lib-${k++}`)), ref);
      },
    );
    report(ours);
    const skopeo = which('skopeo');
    if (!skopeo) {
      report(library);
      console.log('skopeo: not installed (apt-get install skopeo)');
      return;
    }
    let j = 0;
    const peer = await timeAsync(
      'skopeo copy docker://… dir:…',
      n,
      () => undefined,
      () => {
        run(skopeo, [
          'copy',
          '--quiet',
          '--src-tls-verify=false',
          `docker://${ref}`,
          `dir:${path.join(dir, `skopeo-${j++}`)}`,
        ]);
      },
    );
    report(library, peer);
    report(ours, peer);
    report(peer);
  } finally {
    await reg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
