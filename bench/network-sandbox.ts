/**
 * The frame of the network bench: its work runs in a child inside a network namespace made for
 * it (`unshare --net`, loopback up), so every link, route, nftables table and daemon it makes
 * lives and dies there and the machine's own network is never touched. The child cleans up
 * after itself; whatever a crash of it leaves (daemons, shims, containers, cgroups, mounts, the
 * temp dir, mount points made to mask docker's fixed paths) is swept here afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { cgroupDriver } from '../src/engine/runtime/cgroups';

/** What the child tells the sweep about, in `<dir>/sweep.json`, as soon as it exists. */
export interface SweepList {
  /** cgroup parents whose processes and cgroups go. */
  cgroupParents: string[];
  /** Directories made only to mount over (removed when empty). */
  mountPoints: string[];
}

export function sweepFile(dir: string): string {
  return `${dir}/sweep.json`;
}

export function readSweepList(dir: string): SweepList {
  try {
    return JSON.parse(fs.readFileSync(sweepFile(dir), 'utf8')) as SweepList;
  } catch {
    return { cgroupParents: [], mountPoints: [] };
  }
}

/** Adds to the sweep list (the child calls it before it makes what it names). */
export function noteForSweep(dir: string, add: Partial<SweepList>): void {
  const l = readSweepList(dir);
  l.cgroupParents.push(...(add.cgroupParents ?? []));
  l.mountPoints.push(...(add.mountPoints ?? []));
  fs.writeFileSync(sweepFile(dir), JSON.stringify(l));
}

/**
 * Removes a mount point made only to mount over: empty here, as the mount was in another mount
 * namespace, unless something else on the machine started using it meanwhile (then it stays).
 */
export function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY') throw err;
  }
}

function pids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

function read(file: string, how: 'link' | 'text'): string {
  try {
    return how === 'link' ? fs.readlinkSync(file) : fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Processes in the namespace `ns` (its `net:[inode]`) or in a cgroup below one of `parents`. */
function leftovers(ns: string, parents: readonly string[]): number[] {
  return pids().filter(
    (p) =>
      p !== process.pid &&
      (read(`/proc/${p}/ns/net`, 'link') === ns ||
        parents.some((c) => read(`/proc/${p}/cgroup`, 'text').includes(`:${c}/`))),
  );
}

/** Mount points at or below `dir` in this mount namespace, deepest first. */
function mountsUnder(dir: string): string[] {
  return read('/proc/self/mountinfo', 'text')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

async function sweep(ns: string, dir: string): Promise<string[]> {
  const problems: string[] = [];
  const list = readSweepList(dir);
  for (let i = 0; i < 50; i++) {
    const left = ns ? leftovers(ns, list.cgroupParents) : [];
    if (left.length === 0) break;
    if (i === 0) problems.push(`killed ${left.length} process(es) the bench left`);
    for (const p of left) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const parent of list.cgroupParents)
    await cgroupDriver()
      .removeParent(parent)
      .catch((err: Error) => problems.push(`cgroup ${parent}: ${err.message}`));
  for (const m of mountsUnder(dir)) spawnSync('umount', ['-l', m]);
  const still = mountsUnder(dir);
  if (still.length) problems.push(`left ${dir} in place: still mounted: ${still.join(' ')}`);
  else fs.rmSync(dir, { recursive: true, force: true });
  for (const m of list.mountPoints) {
    try {
      removeIfEmpty(m);
    } catch (err) {
      problems.push(`${m}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * Runs `node script args…` in a new network namespace with loopback up, waits for it, then
 * sweeps what it left and removes `dir`. Resolves to the child's exit status.
 */
export async function runInOwnNetns(script: string, args: string[], dir: string): Promise<number> {
  const mine = fs.readlinkSync('/proc/self/ns/net');
  const child = spawn(
    'unshare',
    ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, script, ...args],
    { stdio: 'inherit' },
  );
  // Ctrl-C reaches the child too; it cleans up, then this sweeps.
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore).on('SIGTERM', ignore);
  let ns = '';
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  // unshare execs sh, then node, in the same pid once the namespace is made.
  for (let i = 0; i < 500 && child.exitCode === null; i++) {
    const link = read(`/proc/${child.pid}/ns/net`, 'link');
    if (link && link !== mine) {
      ns = link;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const status = await exited;
  try {
    for (const p of await sweep(ns, dir)) console.log(`sweep: ${p}`);
  } finally {
    process.off('SIGINT', ignore).off('SIGTERM', ignore);
  }
  return status;
}
