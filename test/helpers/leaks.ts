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
import { linksNamed, removeLinks } from '../../src/engine/networks/bridge';
import { bridgePrefix, vethPrefix } from '../../src/engine/networks/names';
import { NetworkStore } from '../../src/engine/networks/store';

/** The engine's bridges and host veths (its tag in their names). */
function engineLinks(root: string): string[] {
  return [...linksNamed(bridgePrefix(root)), ...linksNamed(vethPrefix(root))];
}

/** Removes them: what a test does with the root once its engine is gone. */
export function removeEngineLinks(root: string): void {
  removeLinks(engineLinks(root));
}

/** Links of the engine that no network record or kept container accounts for. */
function leakedLinks(root: string, containerIds: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const n of new NetworkStore(path.join(root, 'networks')).all()) {
    kept.add(n.bridge);
    for (const [id, e] of Object.entries(n.endpoints)) if (containerIds.includes(id)) kept.add(e.hostVeth);
  }
  return engineLinks(root).filter((l) => !kept.has(l));
}

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

/**
 * Sockets still bound on the gateway of a network no kept container is on: the embedded DNS
 * server's listener goes with a network's last container, and the default bridge never has one.
 */
function leakedDnsListeners(root: string, containerIds: readonly string[]): string[] {
  return new NetworkStore(path.join(root, 'networks'))
    .all()
    .filter((n) => n.builtin || !Object.keys(n.endpoints).some((id) => containerIds.includes(id)))
    .map((n) => n.IPAM.Config[0]?.Gateway)
    .filter((g): g is string => !!g)
    .flatMap(socketsBoundOn);
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

/** What is left; [] when clean. `containerIds` are the containers that should still exist. */
export function findLeaks(
  root: string,
  containerIds: readonly string[] = [],
  runRoot = path.join(root, 'run'),
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
  const links = leakedLinks(root, containerIds);
  if (links.length) problems.push(`network links: ${links.join(', ')}`);
  const listeners = leakedDnsListeners(root, containerIds);
  if (listeners.length) problems.push(`DNS listeners: ${listeners.join(', ')}`);
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
): Promise<void> {
  let problems: string[] = [];
  for (let i = 0; i < 50; i++) {
    problems = findLeaks(root, containerIds, runRoot);
    if (!problems.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`leaked: ${problems.join('; ')}`);
}
