/**
 * unshare(2) and setns(2). Both act on the calling thread only: call them on the main thread of
 * a process that then forks or execs (RUNTIME.md, "the one fact that shapes everything").
 */
import fs from 'node:fs';
import { check, libc } from './lib';

const unshareFn = libc.func('int unshare(int flags)');
const setnsFn = libc.func('int setns(int fd, int nstype)');

export const CLONE_FS = 0x00000200;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

/** The nstype of each /proc/<pid>/ns entry. */
export const NS_TYPES = {
  cgroup: CLONE_NEWCGROUP,
  ipc: CLONE_NEWIPC,
  mnt: CLONE_NEWNS,
  net: CLONE_NEWNET,
  pid: CLONE_NEWPID,
  uts: CLONE_NEWUTS,
} as const;
export type NsName = keyof typeof NS_TYPES;

export function unshare(flags: number): void {
  check(unshareFn(flags) as number, 'unshare', `0x${flags.toString(16)}`);
}

export function setns(fd: number, nstype: number): void {
  check(setnsFn(fd, nstype) as number, 'setns', `0x${nstype.toString(16)}`);
}

/** An open descriptor of `/proc/<pid>/ns/<name>` (pid 'self' for the caller). */
export function openNamespace(pid: number | 'self', name: NsName | 'pid_for_children'): number {
  return fs.openSync(`/proc/${pid}/ns/${name}`, 'r'); // libuv opens with O_CLOEXEC
}

/**
 * Runs `fn` (which forks) with children created in a new pid namespace, or in the one of `pid`,
 * and restores the caller's at once: else every later child would land there too.
 */
export function withChildPidNamespace<T>(target: 'new' | number, fn: () => T): T {
  const saved = openNamespace('self', 'pid');
  try {
    if (target === 'new') unshare(CLONE_NEWPID);
    else {
      const fd = openNamespace(target, 'pid');
      try {
        setns(fd, CLONE_NEWPID);
      } finally {
        fs.closeSync(fd);
      }
    }
    try {
      return fn();
    } finally {
      setns(saved, CLONE_NEWPID);
    }
  } finally {
    fs.closeSync(saved);
  }
}
