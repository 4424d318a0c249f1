/**
 * File-system calls Node lacks, for unpacking image layers as they were packed: device nodes
 * and FIFOs (mknod), extended attributes of a file not followed (lsetxattr, llistxattr,
 * lgetxattr).
 */
import { check, libc } from './lib';

const mknodFn = libc.func('int mknod(const char *path, uint32_t mode, uint64_t dev)');
const lsetxattrFn = libc.func(
  'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
);

const llistxattrFn = libc.func('long llistxattr(const char *path, _Out_ uint8_t *list, size_t size)');
const lgetxattrFn = libc.func(
  'long lgetxattr(const char *path, const char *name, _Out_ uint8_t *value, size_t size)',
);

export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;

/** glibc's makedev: major and minor split across the 64-bit device number. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}

export function mknod(path: string, mode: number, dev: bigint = 0n): void {
  check(mknodFn(path, mode, dev) as number, 'mknod', path);
}

export function lsetxattr(path: string, name: string, value: Buffer): void {
  check(lsetxattrFn(path, name, value, value.length, 0) as number, 'lsetxattr', `${path} ${name}`);
}

/** The names of a file's extended attributes (the last component not followed). */
export function llistxattr(path: string): string[] {
  const size = check(llistxattrFn(path, null, 0) as number, 'llistxattr', path);
  if (size === 0) return [];
  const buf = Buffer.alloc(size);
  const n = check(llistxattrFn(path, buf, size) as number, 'llistxattr', path);
  return buf.toString('utf8', 0, n).split('\0').filter(Boolean);
}

export function lgetxattr(path: string, name: string): Buffer {
  const size = check(lgetxattrFn(path, name, null, 0) as number, 'lgetxattr', `${path} ${name}`);
  const buf = Buffer.alloc(size);
  const n = check(lgetxattrFn(path, name, buf, size) as number, 'lgetxattr', `${path} ${name}`);
  return buf.subarray(0, n);
}
