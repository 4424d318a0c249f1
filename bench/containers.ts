/**
 * `container run --rm busybox true` through the real CLI and its auto-started daemon, and the
 * daemon's RSS with 0 and with 20 idle containers; beside Debian's podman running the same
 * image in the same run, when podman is installed and works here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxLayers } from '../test/helpers/busybox-image';
import { loopbackOnlyConfig } from '../test/helpers/network-config';
import { report, timeCommand, which, type Timing } from './lib';

function rssKiB(pid: number): number {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return Number(m?.[1] ?? 0);
}

function cli(bin: string, env: NodeJS.ProcessEnv, args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tscompose ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Podman as Debian ships it needs runc, and nofile and nproc limits within the host's on these machines. */
function podmanPeer(rootfsTar: string, runs: number, dir: string): Timing | string {
  const podman = which('podman');
  if (!podman) return 'podman is not installed (apt-get install podman runc)';
  const conf = path.join(dir, 'containers.conf');
  fs.writeFileSync(
    conf,
    '[engine]\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n',
  );
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const storage = ['--root', path.join(dir, 'podman-root'), '--runroot', path.join(dir, 'podman-run')];
  const imported = spawnSync(podman, [...storage, 'import', rootfsTar, 'tscompose-bench-busybox'], {
    env,
    encoding: 'utf8',
  });
  if (imported.status !== 0) return `podman import failed: ${imported.stderr.trim().split('\n').pop()}`;
  try {
    return timeCommand(
      'podman run --rm busybox true',
      podman,
      [...storage, 'run', '--rm', '--network', 'none', 'tscompose-bench-busybox', 'true'],
      runs,
      { env },
    );
  } catch (err) {
    return `podman run failed: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    spawnSync(podman, [...storage, 'system', 'reset', '--force'], { env });
  }
}

export async function benchContainers(bin: string, runs: number): Promise<void> {
  const n = Math.max(runs, 20);
  console.log(`\n## container run --rm busybox true (${n} runs), daemon memory`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bench-'));
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_CONFIG: loopbackOnlyConfig(),
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
  };
  const rootfs = busyboxLayers().layers[0];
  try {
    cli(bin, env, ['image', 'import', rootfs, 'busybox']);
    const ours = timeCommand(
      'tscompose container run --rm busybox true',
      process.execPath,
      [bin, 'container', 'run', '--rm', '--network', 'none', 'busybox', 'true'],
      n,
      { env },
    );
    const peer = podmanPeer(rootfs, n, dir);
    report(ours, typeof peer === 'string' ? undefined : peer);
    if (typeof peer === 'string') console.log(`peer skipped: ${peer}`);
    else report(peer);

    // A fresh daemon for the memory figures: the latency runs above leave garbage not yet collected.
    cli(bin, env, ['engine', 'stop']);
    cli(bin, env, ['container', 'ls']);
    const pid = Number(JSON.parse(fs.readFileSync(path.join(dir, 'run', 'engine.json'), 'utf8')).pid);
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 2000));
    await settle();
    const idle = rssKiB(pid);
    const ids = Array.from({ length: 20 }, () =>
      cli(bin, env, ['container', 'run', '-d', 'busybox', 'sleep', '3600']),
    );
    await settle();
    const busy = rssKiB(pid);
    console.log(
      `daemon RSS: ${(idle / 1024).toFixed(1)} MiB idle, ${(busy / 1024).toFixed(1)} MiB with 20 containers ` +
        `(${((busy - idle) / 1024 / 20).toFixed(2)} MiB per container; goal ≤ 0.25)`,
    );
    cli(bin, env, ['container', 'rm', '-f', ...ids]);
  } finally {
    spawnSync(process.execPath, [bin, 'engine', 'stop'], { env });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
