/**
 * cgroups v1, hybrid and v2 behind one interface. The caller chooses the parent (derived from
 * TSCOMPOSE_ROOT, so parallel engines never share one) and the name (the container id).
 *
 *   const cg = cgroupDriver().create(parent, id, spec.cgroup.limits);
 *   cg.addProcess(initPid);          // before init unshares its cgroup namespace
 *   ...; await cg.killAll(); await cg.destroy();
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { detectCgroups, type CgroupMounts } from './detect';
import { CgroupError } from './errors';
import { V1Driver } from './v1';
import { V2Driver } from './v2';
import type { CgroupDriver } from './types';

export type { Cgroup, CgroupDriver, CgroupMode, CgroupStats, CgroupUsage, CreateOptions } from './types';
export { CgroupError } from './errors';
export { detectCgroups, parseMountinfo, type CgroupMounts } from './detect';

export interface DriverOptions {
  /** Use cgroup v2 rooted here instead of what is mounted (tests: a cgroup2-shaped temp tree). */
  v2Root?: string;
  /** Use these mounts instead of reading /proc/self/mountinfo. */
  mounts?: CgroupMounts;
}

let cached: CgroupDriver | undefined;

/** The driver for this machine's cgroups (detected once), or a v2 driver over `v2Root`. */
export function cgroupDriver(options: DriverOptions = {}): CgroupDriver {
  if (options.v2Root) return new V2Driver(options.v2Root);
  if (!options.mounts && cached) return cached;
  const mounts = options.mounts ?? detectCgroups();
  let driver: CgroupDriver;
  if (mounts.mode === 'v2') {
    if (!mounts.unified) throw new CgroupError('no cgroup file system is mounted');
    driver = new V2Driver(mounts.unified);
  } else driver = new V1Driver(mounts);
  if (!options.mounts) cached = driver;
  return driver;
}

/**
 * The cgroup parent of an engine whose state lives in `root` (TSCOMPOSE_ROOT): one per root, so
 * engines and test runs with different roots never share cgroups. `/tscompose` for the default.
 */
export function cgroupParentFor(root: string): string {
  const abs = path.resolve(root);
  if (abs === '/var/lib/tscompose') return '/tscompose';
  return `/tscompose-${createHash('sha256').update(abs).digest('hex').slice(0, 12)}`;
}
