/**
 * The compose bench's peer: Debian's dockerd 20.10 (docker.io) with docker-compose 1.29, run
 * confined: its own --data-root, --exec-root, --pidfile, socket and config file in a temp dir,
 * its containers under a cgroup parent of its own, inside a network namespace of its own and a
 * mount namespace of its own (so its mounts end with it), and the containerd it starts for
 * itself. Nothing of the machine's docker, if there is one, is used or touched.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Confined, removeCgroupTree } from './confined';
import { which } from './lib';

export interface DockerPeer {
  /** DOCKER_HOST pointing at the confined daemon. */
  env: NodeJS.ProcessEnv;
  docker: string;
  compose: string;
  place: Confined;
  close(): void;
}

/** The peer, or why it cannot run (a sentence). */
export async function startDockerPeer(): Promise<DockerPeer | string> {
  const dockerd = which('dockerd');
  const compose = which('docker-compose');
  // Debian's client (docker.io); another docker on the PATH may be of another version.
  const docker = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : which('docker');
  if (!dockerd || !docker) return 'dockerd is not installed (apt-get install docker.io)';
  if (!compose) return 'docker-compose is not installed (apt-get install docker-compose)';
  if (!which('nsenter') || !which('unshare')) return 'nsenter/unshare (util-linux) are missing';
  const place = new Confined('tscbench-docker');
  const cgroupParent = `tscbench-docker-${process.pid}`;
  const sock = path.join(place.dir, 'docker.sock');
  const log = path.join(place.dir, 'dockerd.log');
  const config = path.join(place.dir, 'daemon.json');
  fs.writeFileSync(config, '{}\n');
  const close = (): void => {
    const pidFile = path.join(place.dir, 'docker.pid');
    if (fs.existsSync(pidFile)) {
      // A clean stop first: dockerd stops its containerd and unmounts what it mounted.
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      try {
        process.kill(pid, 'SIGTERM');
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline && fs.existsSync(`/proc/${pid}`)) spawnSync('sleep', ['0.1']);
      } catch {
        // gone already
      }
    }
    place.close();
    removeCgroupTree(cgroupParent);
  };
  const out = fs.openSync(log, 'a');
  const [cmd, args] = place.wrap('unshare', [
    '--mount',
    '--propagation',
    'slave',
    dockerd,
    '--config-file',
    config,
    '--data-root',
    path.join(place.dir, 'data'),
    '--exec-root',
    path.join(place.dir, 'exec'),
    '--pidfile',
    path.join(place.dir, 'docker.pid'),
    '-H',
    `unix://${sock}`,
    '--cgroup-parent',
    cgroupParent,
    '--log-level',
    'warn',
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  child.unref();
  let exited = false;
  child.on('exit', () => (exited = true));
  const env = { ...process.env, DOCKER_HOST: `unix://${sock}` };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = spawnSync(docker, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', env });
    if (v.status === 0) break;
    if (exited || Date.now() > deadline) {
      const tail = fs.readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ');
      close();
      return `the confined dockerd did not start: ${tail || v.stderr.trim()}`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { env, docker, compose, place, close };
}
