/**
 * An exclusive lock on a file, held across processes (CLI, engine, tests): flock(2), so a process
 * that dies releases it. Waiting polls without blocking the event loop.
 *
 * A holder may delete the lock file before it lets go (`removeOnRelease`), so per-object lock
 * files do not pile up. A waiter that opened the file before it was deleted then gets the lock
 * of an inode nobody else will ever open again; so, once it has the lock, it checks that the
 * path still names the inode it holds, and starts over on the new file when not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TscomposeError } from '../../common/errors';
import { LOCK_EX, tryFlock, unflock } from './flock';

export interface HeldLock {
  /** Delete the lock file while still holding it, just before the lock is released. */
  removeOnRelease(): void;
}

export async function withLock<T>(
  lockFile: string,
  fn: (lock: HeldLock) => Promise<T> | T,
  timeoutMs = 30_000,
): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fd = fs.openSync(lockFile, 'a', 0o600);
    try {
      let wait = 2;
      while (!tryFlock(fd, LOCK_EX)) {
        if (Date.now() > deadline) {
          throw new TscomposeError(`timed out after ${timeoutMs} ms waiting for the lock ${lockFile}`, {
            code: 'LOCK_TIMEOUT',
          });
        }
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 50);
      }
      let remove = false;
      try {
        if (!namesInode(lockFile, fd)) continue; // deleted by the holder before us: take the new one
        return await fn({ removeOnRelease: () => (remove = true) });
      } finally {
        if (remove) fs.rmSync(lockFile, { force: true });
        unflock(fd);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Deletes `lockFile` when nobody holds it (a lock file left by a crash, or by an older build
 * that kept them); false when it is held.
 */
export async function removeIfUnheld(lockFile: string): Promise<boolean> {
  try {
    await withLock(lockFile, (lock) => lock.removeOnRelease(), 0);
    return true;
  } catch (err) {
    if ((err as TscomposeError).code === 'LOCK_TIMEOUT') return false;
    throw err;
  }
}

function namesInode(file: string, fd: number): boolean {
  try {
    const [onPath, held] = [fs.statSync(file), fs.fstatSync(fd)];
    return onPath.ino === held.ino && onPath.dev === held.dev;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
