/** The kind of file system a descriptor is on (statfs f_type), to keep writes off the kernel's own. */
import { check, libc } from './lib';

const fstatfsFn = libc.func('int fstatfs(int fd, void *buf)');

export const PROC_SUPER_MAGIC = 0x9fa0;
export const SYSFS_MAGIC = 0x62656572;

export function fsType(fd: number): number {
  const buf = Buffer.alloc(120);
  check(fstatfsFn(fd, buf) as number, 'fstatfs');
  return Number(buf.readBigInt64LE(0));
}
