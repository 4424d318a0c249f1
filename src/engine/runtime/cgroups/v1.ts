/**
 * cgroup v1: one directory per mounted hierarchy, plus the controller-less cgroup2 in hybrid mode
 * (joined too, so cgroup.kill and cgroup.events work on the whole container).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CgroupLimits } from '../spec';
import type { CgroupMounts, V1Hierarchy } from './detect';
import { CgroupError } from './errors';
import {
  exists,
  normalizeCgroupPath,
  readKeyed,
  readOptional,
  readPids,
  readValue,
  removeDir,
  subdirs,
  waitFor,
  writeValue,
} from './files';
import { v1Files } from './limits';
import type { Cgroup, CgroupDriver, CgroupMode, CgroupStats, CgroupUsage, CreateOptions } from './types';
import { v1Usage } from './usage';

// What Docker lets a non-privileged container open: mknod of anything, the usual character devices.
const DEFAULT_DEVICE_RULES = [
  'c *:* m',
  'b *:* m',
  'c 1:3 rwm', // null
  'c 1:5 rwm', // zero
  'c 1:7 rwm', // full
  'c 1:8 rwm', // random
  'c 1:9 rwm', // urandom
  'c 5:0 rwm', // tty
  'c 5:1 rwm', // console
  'c 5:2 rwm', // ptmx
  'c 136:* rwm', // pts
  'c 10:200 rwm', // tun
];

// Values at or above this in memory.limit_in_bytes mean "no limit" (PAGE_COUNTER_MAX, page-rounded).
const V1_UNLIMITED = 2 ** 62;

interface Dirs {
  byController: Map<string, string>;
  v1: string[];
  unified?: string;
}

export class V1Driver implements CgroupDriver {
  readonly mode: CgroupMode;

  constructor(private readonly mounts: CgroupMounts) {
    this.mode = mounts.unified ? 'hybrid' : 'v1';
  }

  private dirs(cgPath: string): Dirs {
    const byController = new Map<string, string>();
    const v1: string[] = [];
    for (const h of this.mounts.v1) {
      const dir = path.join(h.mountpoint, cgPath);
      v1.push(dir);
      for (const c of h.controllers) byController.set(c, dir);
    }
    const unified = this.mounts.unified ? path.join(this.mounts.unified, cgPath) : undefined;
    return { byController, v1, unified };
  }

  create(parent: string, name: string, limits: CgroupLimits, options: CreateOptions = {}): Cgroup {
    const cgPath = normalizeCgroupPath(parent, name);
    const dirs = this.dirs(cgPath);
    const cg = new V1Cgroup(cgPath, dirs);
    const all = [...dirs.v1, ...(dirs.unified ? [dirs.unified] : [])];
    const existing = all.filter((d) => fs.existsSync(d));
    if (existing.length) {
      throw new CgroupError(`cgroup ${cgPath} already exists (${existing[0]})`, {
        hint: 'a previous container with this id was not cleaned up',
      });
    }
    try {
      for (const h of this.mounts.v1) this.makeDirs(h, cgPath);
      if (dirs.unified) fs.mkdirSync(dirs.unified, { recursive: true });
      for (const [controller, dir] of dirs.byController) {
        for (const [file, value] of v1Files(controller, limits)) {
          // Without swap accounting (swapaccount=0) there is no memsw file: nothing to limit.
          if (file === 'memory.memsw.limit_in_bytes' && !exists(dir, file)) continue;
          writeValue(dir, file, value);
        }
      }
      const devices = dirs.byController.get('devices');
      if (devices && !options.allowAllDevices) {
        writeValue(devices, 'devices.deny', 'a');
        for (const rule of DEFAULT_DEVICE_RULES) writeValue(devices, 'devices.allow', rule);
      }
    } catch (err) {
      for (const d of all) {
        try {
          fs.rmdirSync(d);
        } catch {
          // best effort: the error below is the one that matters
        }
      }
      throw err;
    }
    return cg;
  }

  /** mkdir -p, filling the empty cpuset.cpus/mems of each new cpuset directory from its parent. */
  private makeDirs(h: V1Hierarchy, cgPath: string): void {
    let dir = h.mountpoint;
    for (const part of cgPath.split('/').filter(Boolean)) {
      const parentDir = dir;
      dir = path.join(dir, part);
      if (fs.existsSync(dir)) continue;
      fs.mkdirSync(dir);
      if (h.controllers.includes('cpuset')) {
        for (const f of ['cpuset.cpus', 'cpuset.mems']) {
          if (readValue(dir, f) === '') writeValue(dir, f, readValue(parentDir, f));
        }
      }
    }
  }

  open(parent: string, name: string): Cgroup {
    const cgPath = normalizeCgroupPath(parent, name);
    return new V1Cgroup(cgPath, this.dirs(cgPath));
  }

  private roots(parent: string): string[] {
    const d = this.dirs(normalizeCgroupPath(parent));
    return [...d.v1, ...(d.unified ? [d.unified] : [])];
  }

  list(parent: string): string[] {
    return this.roots(parent).flatMap(subdirs).sort();
  }

  async removeParent(parent: string): Promise<void> {
    for (const root of this.roots(parent)) {
      for (const d of [...subdirs(root), root]) await removeDir(d, 2000);
    }
  }
}

class V1Cgroup implements Cgroup {
  readonly dirs: readonly string[];

  constructor(
    readonly path: string,
    private readonly d: Dirs,
  ) {
    this.dirs = [...d.v1, ...(d.unified ? [d.unified] : [])];
  }

  // Any hierarchy lists the same processes; prefer one that every setup has.
  private get procsDir(): string {
    return this.d.byController.get('pids') ?? this.d.byController.get('freezer') ?? this.d.v1[0];
  }

  addProcess(pid: number): void {
    for (const dir of this.dirs) writeValue(dir, 'cgroup.procs', pid);
  }

  setLimits(limits: CgroupLimits): void {
    for (const [controller, dir] of this.d.byController) {
      const files = v1Files(controller, limits).filter(
        ([file]) => file !== 'memory.memsw.limit_in_bytes' || exists(dir, file),
      );
      const write = (pairs: [string, string][]): void => {
        for (const [file, value] of pairs) writeValue(dir, file, value);
      };
      try {
        write(files);
      } catch (err) {
        // memory may never exceed memory+swap: raising both needs memsw first, lowering memory first
        if (controller !== 'memory') throw err;
        write([...files].reverse());
      }
    }
  }

  pids(): number[] {
    return readPids(this.procsDir);
  }

  isPopulated(): boolean {
    if (this.d.unified && exists(this.d.unified, 'cgroup.events')) {
      return readKeyed(this.d.unified, 'cgroup.events').get('populated') === 1;
    }
    return this.pids().length > 0;
  }

  async freeze(timeoutMs = 5000): Promise<void> {
    const freezer = this.d.byController.get('freezer');
    if (freezer) {
      writeValue(freezer, 'freezer.state', 'FROZEN');
      await waitFor(
        () => readValue(freezer, 'freezer.state') === 'FROZEN',
        timeoutMs,
        () => `cgroup ${this.path} did not freeze within ${timeoutMs} ms`,
      );
    } else if (this.d.unified) {
      writeValue(this.d.unified, 'cgroup.freeze', '1');
      const u = this.d.unified;
      await waitFor(
        () => readKeyed(u, 'cgroup.events').get('frozen') === 1,
        timeoutMs,
        () => `cgroup ${this.path} did not freeze within ${timeoutMs} ms`,
      );
    } else throw new CgroupError('no freezer: neither the v1 freezer controller nor cgroup2 is mounted');
  }

  thaw(): void {
    const freezer = this.d.byController.get('freezer');
    if (freezer) writeValue(freezer, 'freezer.state', 'THAWED');
    else if (this.d.unified) writeValue(this.d.unified, 'cgroup.freeze', '0');
  }

  async killAll(timeoutMs = 5000): Promise<void> {
    if (!this.dirs.some((d) => fs.existsSync(d))) return;
    if (this.d.unified && exists(this.d.unified, 'cgroup.kill')) {
      writeValue(this.d.unified, 'cgroup.kill', '1');
    } else {
      // Frozen tasks cannot fork while we read the list; SIGKILL is delivered at thaw.
      const frozen = this.d.byController.has('freezer');
      if (frozen) await this.freeze(timeoutMs);
      try {
        for (const pid of this.pids()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      } finally {
        if (frozen) this.thaw();
      }
    }
    await waitFor(
      () => !this.isPopulated(),
      timeoutMs,
      () => `cgroup ${this.path} still has processes ${this.pids().join(', ')} after SIGKILL`,
    );
  }

  stats(): CgroupStats {
    const mem = this.d.byController.get('memory');
    const acct = this.d.byController.get('cpuacct');
    const pids = this.d.byController.get('pids');
    const limit = mem ? Number(readOptional(mem, 'memory.limit_in_bytes') ?? NaN) : NaN;
    return {
      cpuUsageNs: acct ? Number(readOptional(acct, 'cpuacct.usage') ?? 0) : 0,
      memoryUsageBytes: mem ? Number(readOptional(mem, 'memory.usage_in_bytes') ?? 0) : 0,
      memoryLimitBytes: Number.isFinite(limit) && limit < V1_UNLIMITED ? limit : null,
      pidsCurrent: pids ? Number(readOptional(pids, 'pids.current') ?? 0) : this.pids().length,
    };
  }

  usage(): CgroupUsage {
    return v1Usage(this.d.byController, () => this.pids().length);
  }

  oomKilled(): boolean {
    const mem = this.d.byController.get('memory');
    if (!mem) return false;
    const oom = readKeyed(mem, 'memory.oom_control');
    return (oom.get('oom_kill') ?? 0) > 0 || oom.get('under_oom') === 1;
  }

  async destroy(timeoutMs = 2000): Promise<void> {
    // A frozen cgroup with tasks cannot empty itself; never leave it frozen on the way out.
    if (this.d.byController.has('freezer') && fs.existsSync(this.d.byController.get('freezer')!)) this.thaw();
    for (const dir of this.dirs) await removeDir(dir, timeoutMs);
  }
}
