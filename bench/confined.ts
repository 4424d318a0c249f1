/**
 * A place for one engine under benchmark: a temp dir and a named network namespace of its own
 * (`ip netns add`), so that its bridges, nftables/iptables rules and published ports never reach
 * the machine's network. Everything run "inside" goes through `nsenter --net`. `close()` ends
 * every process left in the namespace (only the bench puts processes there), unmounts whatever
 * is still mounted under the dir, removes the namespace and the dir, also after a failure.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class Confined {
  readonly dir: string;
  readonly netns: string;

  constructor(prefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    this.netns = `${prefix}-${process.pid}`;
    const add = spawnSync('ip', ['netns', 'add', this.netns], { encoding: 'utf8' });
    if (add.status !== 0) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      throw new Error(`ip netns add ${this.netns}: ${add.stderr.trim()}`);
    }
    spawnSync('ip', ['-n', this.netns, 'link', 'set', 'lo', 'up']);
  }

  get nsPath(): string {
    return `/run/netns/${this.netns}`;
  }

  /** `cmd args` run inside the namespace, as [command, args] for spawn. */
  wrap(cmd: string, args: string[]): [string, string[]] {
    return ['nsenter', [`--net=${this.nsPath}`, cmd, ...args]];
  }

  run(cmd: string, args: string[], env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
    const [c, a] = this.wrap(cmd, args);
    return spawnSync(c, a, { encoding: 'utf8', env, timeout: 300_000 });
  }

  /** The pids whose network namespace is this one. */
  processes(): number[] {
    let inode: number;
    try {
      inode = fs.statSync(this.nsPath).ino;
    } catch {
      return [];
    }
    const pids: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (fs.statSync(`/proc/${entry}/ns/net`).ino === inode) pids.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  }

  close(): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const deadline = Date.now() + 10_000;
    while (this.processes().length && Date.now() < deadline) spawnSync('sleep', ['0.1']);
    const mounts = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((m) => m && (m === this.dir || m.startsWith(`${this.dir}/`)))
      .reverse();
    for (const m of mounts) spawnSync('umount', ['-l', m]);
    spawnSync('ip', ['netns', 'del', this.netns]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Removes a cgroup (v1: in every controller; v2: the one tree) with its children, once empty. */
export function removeCgroupTree(relative: string): void {
  const base = '/sys/fs/cgroup';
  const tops = fs.existsSync(path.join(base, 'cgroup.controllers'))
    ? [base]
    : fs.readdirSync(base).map((c) => path.join(base, c));
  for (const top of tops) {
    const dir = path.join(top, relative);
    if (!fs.existsSync(dir)) continue;
    const rmTree = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory()) rmTree(path.join(d, e.name));
      try {
        fs.rmdirSync(d);
      } catch {
        // still in use, or a v1 controller that shares its tree with another
      }
    };
    rmTree(dir);
  }
}
