/** flock(2): advisory locks the kernel drops when the holder dies, so a crashed engine never leaves one behind. */
import { check, errno, libc } from './lib';

const flockFn = libc.func('int flock(int fd, int operation)');

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
const EWOULDBLOCK = 11;

/** Tries once; false when another holder has it. */
export function tryFlock(fd: number, op: number): boolean {
  const r = flockFn(fd, op | LOCK_NB) as number;
  if (r === 0) return true;
  if (errno() === EWOULDBLOCK) return false;
  check(r, 'flock');
  return false;
}

export function unflock(fd: number): void {
  check(flockFn(fd, LOCK_UN) as number, 'flock', 'unlock');
}
