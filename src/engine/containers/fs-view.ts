/**
 * A container's root file system as its processes see it, held by a descriptor, for the file
 * endpoints (archive, export): a running container's through its init (`/proc/<pid>/root`, with
 * its volumes and binds mounted where they belong), a stopped one's through an overlay of its
 * layers and its upper directory that the daemon mounts for the call, with the container's
 * volumes and binds bound in as at its start, and unmounts after. The container's queue is held
 * while a stopped container's overlay is mounted, so no start mounts the same upper directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../../common/errors';
import type { SyscallError } from '../../platform/linux/lib';
import { MNT_DETACH, MS_PRIVATE, MS_RDONLY, mount, umount2 } from '../../platform/linux/mount';
import {
  AT_FDCWD,
  O_CLOEXEC,
  O_DIRECTORY,
  O_PATH,
  closeFd,
  fdPath,
  openat,
} from '../../platform/linux/openat2';
import { bindMount } from '../runtime/init/bind';
import { INIT_PATH } from '../runtime/init/rootfs';
import { mountPointInRoot } from '../runtime/init/securejoin';
import type { ContainerManager } from './manager';
import type { ContainerRecord } from './record';

/** Room for upperdir= and workdir= in one page of mount options. */
const MAX_LOWER = 3000;
/** Below the run root, not the container's folder: a view a crash left mounted is never removed through. */
const VIEW_DIR = 'fsview';

export interface FsView {
  record: ContainerRecord;
  /** An O_PATH descriptor of the container's `/`. */
  rootFd: number;
  running: boolean;
  release(): void;
}

/** Container paths where the engine mounts something of its own (docker keeps them in an init layer). */
export function engineMounts(record: ContainerRecord): Set<string> {
  const spec = record.spec;
  const out = new Set(['/proc', '/sys', '/dev', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname']);
  if (spec.initBinary) out.add(INIT_PATH);
  for (const m of spec.mounts) out.add(path.posix.resolve('/', m.target));
  return out;
}

/** Views a daemon that died left mounted: taken down at the engine's start. */
export function sweepViews(runRoot: string): void {
  const top = path.join(runRoot, VIEW_DIR);
  let names: string[] = [];
  try {
    names = fs.readdirSync(top);
  } catch {
    return;
  }
  for (const name of names) unmountView(path.join(top, name));
}

export async function openFsView(
  containers: ContainerManager,
  ref: string,
  runRoot: string,
): Promise<FsView> {
  const held = await containers.holdFiles(ref);
  try {
    if (held.pid) {
      // The init's root is the container's mount tree: its volumes, binds, /proc and masks.
      const rootFd = initRoot(held.pid, held.record);
      held.release();
      return { record: held.record, rootFd, running: true, release: () => closeFd(rootFd) };
    }
    const { dir, rootFd } = mountStopped(held.record, runRoot);
    let released = false;
    return {
      record: held.record,
      rootFd,
      running: false,
      release: () => {
        if (released) return;
        released = true;
        try {
          closeFd(rootFd);
          unmountView(dir);
        } finally {
          held.release();
        }
      },
    };
  } catch (err) {
    held.release();
    if ((err as SyscallError).code === 'ENOENT' && held.pid)
      throw new NotFoundError(`container ${held.record.id} exited while its files were read`);
    throw err;
  }
}

/**
 * `/proc/<pid>/root` of the container's init, and of no other process: the /proc directory is
 * held first (a descriptor of it names that one process, never a later one with its pid), its
 * start time checked against the record's, and the root opened through it.
 */
function initRoot(pid: number, record: ContainerRecord): number {
  const procFd = openat(AT_FDCWD, `/proc/${pid}`, O_PATH | O_DIRECTORY | O_CLOEXEC);
  try {
    if (record.pidStartTime !== undefined) {
      const stat = fs.readFileSync(fdPath(procFd, 'stat'), 'utf8');
      const started = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      if (started !== record.pidStartTime)
        throw new NotFoundError(`container ${record.id} exited while its files were read`);
    }
    return openat(procFd, 'root', O_PATH | O_DIRECTORY | O_CLOEXEC);
  } finally {
    closeFd(procFd);
  }
}

function unmountView(dir: string): void {
  try {
    umount2(dir, MNT_DETACH); // the overlay and what was bound into it
  } catch (err) {
    if (!['EINVAL', 'ENOENT'].includes((err as SyscallError).code ?? '')) throw err;
  }
  // The view, then the views' folder once no other view is in it (the run root keeps nothing idle).
  for (const d of [dir, path.dirname(dir)]) {
    try {
      fs.rmdirSync(d);
    } catch {
      // gone already, or another view is open
    }
  }
}

function mountStopped(record: ContainerRecord, runRoot: string): { dir: string; rootFd: number } {
  const spec = record.spec;
  fs.mkdirSync(path.join(runRoot, VIEW_DIR), { recursive: true, mode: 0o700 });
  const dir = path.join(runRoot, VIEW_DIR, record.id);
  // A view left mounted by a daemon that died is taken down first.
  if (fs.existsSync(dir)) unmountView(dir);
  fs.mkdirSync(dir, { mode: 0o700 });
  const upper = path.join(spec.stateDir, 'upper');
  const work = path.join(spec.stateDir, 'work');
  for (const d of [upper, work]) if (!fs.existsSync(d)) fs.mkdirSync(d, { mode: 0o755 });
  const { lowerDirs, lowerLinks, linkRoot } = spec.rootfs;
  const long = lowerDirs.join(':').length > MAX_LOWER && !!lowerLinks?.length && !!linkRoot;
  const cwd = process.cwd();
  try {
    // Short links are relative to the store: a chdir for the one synchronous call.
    if (long) process.chdir(linkRoot);
    const lower = (long ? (lowerLinks ?? []) : lowerDirs).join(':');
    mount(
      'overlay',
      dir,
      'overlay',
      spec.rootfs.readonly ? MS_RDONLY : 0,
      `lowerdir=${lower},upperdir=${upper},workdir=${work}`,
    );
  } catch (err) {
    unmountView(dir);
    throw err;
  } finally {
    if (long) process.chdir(cwd);
  }
  let rootFd = -1;
  try {
    // Binds below are the view's own: none of them shows up anywhere else.
    mount(null, dir, null, MS_PRIVATE);
    rootFd = openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    bindMounts(record, rootFd);
    return { dir, rootFd };
  } catch (err) {
    if (rootFd >= 0) closeFd(rootFd);
    unmountView(dir);
    throw err;
  }
}

/** The container's volumes and bind mounts, parents first, as its start binds them (tmpfs holds nothing now). */
function bindMounts(record: ContainerRecord, rootFd: number): void {
  const binds = record.spec.mounts
    .filter((m) => m.type === 'bind' && fs.existsSync(m.source))
    .sort((a, b) => a.target.split('/').length - b.target.split('/').length);
  for (const m of binds) {
    const isDir = fs.statSync(m.source).isDirectory();
    const fd = mountPointInRoot(rootFd, m.target, isDir);
    try {
      bindMount(m.source, fd, m.options.includes('ro') ? MS_RDONLY : 0, m.target);
    } finally {
      closeFd(fd);
    }
  }
}
