/**
 * The network bench's peer: Debian's docker.io (dockerd 20.10) in a confinement of its own, run
 * by the bench inside its network namespace — its own data root, exec root, pid file, socket,
 * daemon.json and cgroup parent in the bench's temp dir, and its own mount namespace in which
 * the fixed paths dockerd and its containerd write to anyway (`/etc/docker/key.json`,
 * `/run/docker/plugins`, `/run/containerd/s`) are covered by a tmpfs. Its bridges and iptables
 * rules are made in the bench's namespace, never the machine's; `modprobe` is a no-op for it so
 * it loads no kernel module either.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cgroupDriver } from '../src/engine/runtime/cgroups';
import { which, type Command } from './lib';
import { noteForSweep, removeIfEmpty } from './network-sandbox';

/** Paths dockerd 20.10 and its containerd use whatever their flags say. */
const MASKED = ['/etc/docker', '/run/docker', '/run/containerd'];

const RUN_RM = ['run', '--rm', '--network', 'tscompose-bench', 'tscompose-bench-busybox', 'true'];

export interface DockerPeer {
  /** `docker run --rm --network <its user network> <image> true`. */
  runRm: Command;
  stop(): Promise<void>;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

function exitOf(p: ChildProcess, ms: number): Promise<boolean> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the peer with `rootfsTar` imported as an image and a user-defined network on `subnet`,
 * or says why it cannot.
 */
export async function startDockerPeer(
  dir: string,
  rootfsTar: string,
  subnet: string,
): Promise<DockerPeer | string> {
  const dockerd = which('dockerd');
  // docker.io's client speaks its daemon's API; a newer one elsewhere on PATH may not.
  const docker = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : which('docker');
  if (!dockerd || !docker) return 'dockerd is not installed (apt-get install docker.io)';
  const d = path.join(dir, 'docker');
  const shim = path.join(d, 'shim');
  fs.mkdirSync(shim, { recursive: true });
  fs.mkdirSync(path.join(d, 'client'));
  fs.writeFileSync(path.join(shim, 'modprobe'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(d, 'daemon.json'), '{}\n');
  const cgroupParent = `/tscompose-bench-docker-${crypto.randomBytes(4).toString('hex')}`;
  const made = MASKED.filter((m) => !fs.existsSync(m));
  noteForSweep(dir, { cgroupParents: [cgroupParent], mountPoints: made });
  for (const m of made) fs.mkdirSync(m, { mode: 0o700 });

  const sock = path.join(d, 'docker.sock');
  const log = path.join(d, 'dockerd.log');
  const args = [
    ...['--data-root', path.join(d, 'data'), '--exec-root', path.join(d, 'exec')],
    ...['--pidfile', path.join(d, 'dockerd.pid'), '-H', `unix://${sock}`],
    ...['--config-file', path.join(d, 'daemon.json'), '--bridge=none'],
    ...['--exec-opt', 'native.cgroupdriver=cgroupfs', `--cgroup-parent=${cgroupParent}`],
  ];
  const masks = MASKED.map((m) => `mount -t tmpfs -o mode=0700,size=4m tscompose-bench ${m}`).join(' && ');
  const out = fs.openSync(log, 'w');
  const daemon = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      `${masks} && exec "$@"`,
      'sh',
      dockerd,
      ...args,
    ],
    {
      env: { ...process.env, PATH: `${shim}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  const env = { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: path.join(d, 'client') };
  const cli = (...a: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(docker, a, { env, encoding: 'utf8', timeout: 60_000 });

  const stop = async (): Promise<void> => {
    daemon.kill('SIGTERM');
    if (!(await exitOf(daemon, 30_000))) {
      daemon.kill('SIGKILL');
      await exitOf(daemon, 5_000);
    }
    await cgroupDriver()
      .removeParent(cgroupParent)
      .catch(() => undefined);
    fs.rmSync(d, { recursive: true, force: true });
    for (const m of made) removeIfEmpty(m);
  };

  try {
    const deadline = Date.now() + 60_000;
    while (cli('version').status !== 0) {
      if (daemon.exitCode !== null || Date.now() > deadline)
        throw new Error(`dockerd did not start: ${lastLine(fs.readFileSync(log, 'utf8'))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const step of [
      ['import', rootfsTar, 'tscompose-bench-busybox'],
      ['network', 'create', '--subnet', subnet, 'tscompose-bench'],
      RUN_RM,
    ]) {
      const r = cli(...step);
      if (r.status !== 0) throw new Error(`docker ${step[0]} failed: ${lastLine(String(r.stderr))}`);
    }
  } catch (err) {
    await stop();
    return (err as Error).message;
  }
  return {
    runRm: {
      name: 'docker run --rm --network <user net> busybox true',
      cmd: docker,
      args: RUN_RM,
      env,
    },
    stop,
  };
}
