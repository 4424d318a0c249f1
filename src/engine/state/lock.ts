/**
 * An exclusive lock on a file, held across processes (CLI, engine, tests): flock(2), so a process
 * that dies releases it. Waiting polls without blocking the event loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TscomposeError } from '../../errors';
import { LOCK_EX, tryFlock, unflock } from '../linux/flock';

export async function withLock<T>(
  lockFile: string,
  fn: () => Promise<T> | T,
  timeoutMs = 30_000,
): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const fd = fs.openSync(lockFile, 'a');
  try {
    const deadline = Date.now() + timeoutMs;
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
    try {
      return await fn();
    } finally {
      unflock(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
}
