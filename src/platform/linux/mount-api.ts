/**
 * The descriptor-based mount calls (Linux >= 5.2; mount_setattr >= 5.12): a bind made as a
 * detached copy of a tree, given its attributes for every mount in it at once, then attached.
 * x86_64 syscall numbers.
 */
import { check, libc } from './lib';

const syscallFn = libc.func('long syscall(long number, ...)');

const SYS_open_tree = 428;
const SYS_move_mount = 429;
const SYS_mount_setattr = 442;

export const OPEN_TREE_CLONE = 0x1;
export const OPEN_TREE_CLOEXEC = 0o2000000;
export const AT_EMPTY_PATH = 0x1000;
export const AT_RECURSIVE = 0x8000;
export const AT_FDCWD = -100;
const MOVE_MOUNT_F_EMPTY_PATH = 0x4;
const MOVE_MOUNT_T_EMPTY_PATH = 0x40;

export const MOUNT_ATTR_RDONLY = 0x1;
export const MOUNT_ATTR_NOSUID = 0x2;
export const MOUNT_ATTR_NODEV = 0x4;
export const MOUNT_ATTR_NOEXEC = 0x8;

/** A detached copy of the mount tree at `path` (AT_RECURSIVE: with its submounts). */
export function openTree(path: string, flags: number): number {
  const ret = syscallFn(SYS_open_tree, 'int', AT_FDCWD, 'const char *', path, 'unsigned int', flags) as
    number | bigint;
  return check(ret, 'open_tree', path);
}

/** Attaches the detached tree `fromFd` on the directory or file that `toFd` (O_PATH) stands for. */
export function moveMount(fromFd: number, toFd: number, detail: string): void {
  const ret = syscallFn(
    SYS_move_mount,
    'int',
    fromFd,
    'const char *',
    '',
    'int',
    toFd,
    'const char *',
    '',
    'unsigned int',
    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH,
  ) as number | bigint;
  check(ret, 'move_mount', detail);
}

/** struct mount_attr { u64 attr_set; u64 attr_clr; u64 propagation; u64 userns_fd; } on every mount of the tree `fd`. */
export function mountSetattrRecursive(fd: number, attrSet: number, detail: string): void {
  const attr = Buffer.alloc(32);
  attr.writeBigUInt64LE(BigInt(attrSet), 0);
  const ret = syscallFn(
    SYS_mount_setattr,
    'int',
    fd,
    'const char *',
    '',
    'unsigned int',
    AT_EMPTY_PATH | AT_RECURSIVE,
    'void *',
    attr,
    'size_t',
    attr.length,
  ) as number | bigint;
  check(ret, 'mount_setattr', detail);
}
