/** cgroup v2: one tree; controllers are enabled top-down through cgroup.subtree_control. */
import fs from 'node:fs';
import path from 'node:path';
import type { CgroupLimits } from '../spec';
import { CgroupError } from './errors';
import {
  exists,
  normalizeCgroupPath,
  readKeyed,
  readOptional,
  readPids,
  removeDir,
  subdirs,
  waitFor,
  writeValue,
} from './files';
import { v2Files } from './limits';
import type { Cgroup, CgroupDriver, CgroupStats, CgroupUsage, CreateOptions } from './types';
import { v2Usage } from './usage';

// Always delegated when available, so stats() has memory and pids numbers even without limits.
const WANTED = ['cpu', 'cpuset', 'memory', 'pids'];

export class V2Driver implements CgroupDriver {
  readonly mode = 'v2' as const;

  /** `root` is the cgroup2 mount point (a cgroup2-shaped directory tree in tests). */
  constructor(private readonly root: string) {}

  create(parent: string, name: string, limits: CgroupLimits, _options: CreateOptions = {}): Cgroup {
    const cgPath = normalizeCgroupPath(parent, name);
    const dir = path.join(this.root, cgPath);
    if (fs.existsSync(dir)) {
      throw new CgroupError(`cgroup ${cgPath} already exists (${dir})`, {
        hint: 'a previous container with this id was not cleaned up',
      });
    }
    const files = v2Files(limits);
    const available = (readOptional(this.root, 'cgroup.controllers') ?? '').split(/\s+/).filter(Boolean);
    const missing = [...files.keys()].filter((c) => !available.includes(c));
    if (missing.length) {
      throw new CgroupError(`cgroup v2 controller(s) ${missing.join(', ')} not available in ${this.root}`, {
        hint: `the limits need them; available: ${available.join(' ') || 'none'}`,
      });
    }
    const enable = WANTED.filter((c) => available.includes(c));
    const subtree = enable.map((c) => `+${c}`).join(' ');

    let current = this.root;
    try {
      for (const part of normalizeCgroupPath(parent).split('/').filter(Boolean)) {
        if (subtree) writeValue(current, 'cgroup.subtree_control', subtree);
        current = path.join(current, part);
        if (!fs.existsSync(current)) fs.mkdirSync(current);
      }
      if (subtree) writeValue(current, 'cgroup.subtree_control', subtree);
      fs.mkdirSync(dir);
      for (const pairs of files.values()) for (const [file, value] of pairs) writeValue(dir, file, value);
    } catch (err) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // best effort
      }
      throw err;
    }
    return new V2Cgroup(cgPath, dir);
  }

  open(parent: string, name: string): Cgroup {
    const cgPath = normalizeCgroupPath(parent, name);
    return new V2Cgroup(cgPath, path.join(this.root, cgPath));
  }

  list(parent: string): string[] {
    return subdirs(path.join(this.root, normalizeCgroupPath(parent))).sort();
  }

  async removeParent(parent: string): Promise<void> {
    const root = path.join(this.root, normalizeCgroupPath(parent));
    for (const d of [...subdirs(root), root]) await removeDir(d, 2000);
  }
}

class V2Cgroup implements Cgroup {
  readonly dirs: readonly string[];

  constructor(
    readonly path: string,
    private readonly dir: string,
  ) {
    this.dirs = [dir];
  }

  addProcess(pid: number): void {
    writeValue(this.dir, 'cgroup.procs', pid);
  }

  setLimits(limits: CgroupLimits): void {
    for (const pairs of v2Files(limits).values())
      for (const [file, value] of pairs) writeValue(this.dir, file, value);
  }

  pids(): number[] {
    return readPids(this.dir);
  }

  isPopulated(): boolean {
    return readKeyed(this.dir, 'cgroup.events').get('populated') === 1;
  }

  async freeze(timeoutMs = 5000): Promise<void> {
    writeValue(this.dir, 'cgroup.freeze', '1');
    await waitFor(
      () => readKeyed(this.dir, 'cgroup.events').get('frozen') === 1,
      timeoutMs,
      () => `cgroup ${this.path} did not freeze within ${timeoutMs} ms`,
    );
  }

  thaw(): void {
    writeValue(this.dir, 'cgroup.freeze', '0');
  }

  async killAll(timeoutMs = 5000): Promise<void> {
    if (!fs.existsSync(this.dir)) return;
    if (exists(this.dir, 'cgroup.kill')) writeValue(this.dir, 'cgroup.kill', '1');
    else {
      // Kernels before 5.14: freeze so nothing forks between listing and killing.
      await this.freeze(timeoutMs);
      try {
        for (const pid of this.pids()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      } finally {
        this.thaw();
      }
    }
    await waitFor(
      () => !this.isPopulated(),
      timeoutMs,
      () => `cgroup ${this.path} still has processes ${this.pids().join(', ')} after SIGKILL`,
    );
  }

  stats(): CgroupStats {
    const max = readOptional(this.dir, 'memory.max');
    return {
      cpuUsageNs: (readKeyed(this.dir, 'cpu.stat').get('usage_usec') ?? 0) * 1000,
      memoryUsageBytes: Number(readOptional(this.dir, 'memory.current') ?? 0),
      memoryLimitBytes: max === undefined || max === 'max' ? null : Number(max),
      pidsCurrent: Number(readOptional(this.dir, 'pids.current') ?? this.pids().length),
    };
  }

  usage(): CgroupUsage {
    return v2Usage(this.dir, () => this.pids().length);
  }

  oomKilled(): boolean {
    return (readKeyed(this.dir, 'memory.events').get('oom_kill') ?? 0) > 0;
  }

  async destroy(timeoutMs = 2000): Promise<void> {
    await removeDir(this.dir, timeoutMs);
  }
}
