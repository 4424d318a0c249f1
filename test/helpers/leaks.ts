/**
 * The leak sweep every engine test ends with: nothing of an engine rooted at `root` may remain
 * on the host once its containers are gone — no mounts (volumes' ones included), cgroups,
 * processes, container files, volumes, volume work (copy-up views, removals), runtime files
 * (the tests' TSCOMPOSE_RUNROOT is `<root>/run`) or DNS listeners on the gateways of networks
 * without containers. A test that makes volumes removes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cgroupDriver, cgroupParentFor } from '../../src/engine/runtime/cgroups';
import { findNetworkLeaks, type EngineState } from './network-leaks';

export { removeEngineLinks, type EngineState } from './network-leaks';

/** `10.1.0.1` as /proc/net/{udp,tcp} write a local IPv4 address (little-endian hex). */
function procAddress(ip: string): string {
  return ip
    .split('.')
    .map((x) => Number(x).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
}

const TCP_LISTEN = '0A';

/** The UDP and listening TCP sockets of this network namespace bound to `address`: `udp 10.1.0.1:53` each. */
export function socketsBoundOn(address: string): string[] {
  const out: string[] = [];
  for (const proto of ['udp', 'tcp']) {
    let lines: string[];
    try {
      lines = fs.readFileSync(`/proc/net/${proto}`, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const [, local = '', , state] = line.trim().split(/\s+/);
      // Of TCP, listening sockets only: a closed connection stays a while in TIME_WAIT.
      if (proto === 'tcp' && state !== TCP_LISTEN) continue;
      if (local.startsWith(`${procAddress(address)}:`))
        out.push(`${proto} ${address}:${parseInt(local.split(':')[1], 16)}`);
    }
  }
  return out;
}

/** Processes in a cgroup below `parent` other than those of the containers kept. */
function processesIn(parent: string, kept: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/cgroup`, 'utf8');
      if (text.includes(`${parent}/`) && !kept.some((id) => text.includes(`${parent}/${id}`)))
        pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The daemon of `runRoot` while its engine.json says it runs; unknown otherwise. */
function daemonState(runRoot: string): EngineState {
  try {
    const { pid } = JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')) as {
      pid?: number;
    };
    return typeof pid === 'number' && fs.existsSync(`/proc/${pid}`) ? { up: true, pid } : {};
  } catch {
    return {};
  }
}

/**
 * What is left; [] when clean. `containerIds` are the containers that should still exist;
 * `engine` says whether the engine runs and in which process (by default: a daemon of
 * `runRoot` while it runs, else unknown).
 */
export function findLeaks(
  root: string,
  containerIds: readonly string[] = [],
  runRoot = path.join(root, 'run'),
  engine: EngineState = daemonState(runRoot),
): string[] {
  const problems: string[] = [];
  // A running daemon keeps one mount of its own: the read-only node its helpers run from.
  const daemonUp = fs.existsSync(path.join(runRoot, 'engine.json'));
  const sealedExe = path.join(runRoot, 'node');
  const mounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(root) || (l.includes(runRoot) && !(daemonUp && l.includes(` ${sealedExe} `))))
    // The root itself may be a mount a test made (a small tmpfs): only what is under it leaks.
    .filter((l) => l.split(' ')[4] !== root);
  if (mounts.length) problems.push(`mounts: ${mounts.join(' | ')}`);
  const parent = cgroupParentFor(root);
  // A container that should still exist may still run: its cgroup and processes are not leaks.
  const cgroups = cgroupDriver()
    .list(parent)
    .filter((dir) => !containerIds.includes(path.basename(dir)));
  if (cgroups.length) problems.push(`cgroups: ${cgroups.join(', ')}`);
  const pids = processesIn(parent, containerIds);
  if (pids.length) problems.push(`processes: ${pids.join(', ')}`);
  const containersDir = path.join(root, 'containers');
  const left = fs.existsSync(containersDir)
    ? fs.readdirSync(containersDir).filter((n) => !containerIds.some((id) => n.startsWith(id)))
    : [];
  if (left.length) problems.push(`container files: ${left.join(', ')}`);
  const volumesDir = path.join(root, 'volumes');
  const volumes = fs.existsSync(volumesDir) ? fs.readdirSync(volumesDir) : [];
  if (volumes.length) problems.push(`volumes: ${volumes.join(', ')}`);
  problems.push(...findNetworkLeaks(root, containerIds, engine));
  if (fs.existsSync(runRoot)) {
    // What a daemon that is still up, or was stopped, may keep there; nothing per container.
    const kept = new Set([
      'engine.log',
      'engine.lock',
      'engine-start.lock',
      'engine.json',
      'engine.sock',
      'reaper.json',
    ]);
    const extra = fs
      .readdirSync(runRoot)
      .filter(
        (n) =>
          !kept.has(n) &&
          !(n === 'exits' && isEmptyDir(path.join(runRoot, n))) &&
          !(n === 'node' && daemonUp),
      );
    if (extra.length) problems.push(`runtime files: ${extra.join(', ')}`);
  }
  return problems;
}

function isEmptyDir(dir: string): boolean {
  return fs.readdirSync(dir).length === 0;
}

/** Waits a little for exits in flight (a cgroup's last task is reaped asynchronously). */
export async function assertNoLeaks(
  root: string,
  containerIds: readonly string[] = [],
  runRoot?: string,
  engine?: EngineState,
): Promise<void> {
  let problems: string[] = [];
  for (let i = 0; i < 50; i++) {
    problems = findLeaks(root, containerIds, runRoot, engine);
    if (!problems.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`leaked: ${problems.join('; ')}`);
}
