/**
 * One lock per project for the verbs that change it (ARCHITECTURE.md, "Where state lives"): two
 * `up`s of one project at once would each plan from what the other has not made yet, and both
 * create it. The lock is the engine's flock (a process that dies lets go) on a file in the run
 * root beside the engine's socket, deleted by its last holder so none pile up; it is held while
 * a verb plans and applies, not while `up` streams logs.
 */
import path from 'node:path';
import { enginePaths } from '../../engine-api/paths';
import { withLock } from '../../platform/linux/file-lock';

/** Long enough for an `up` that pulls; a waiter says once what it waits for. */
const WAIT_MS = 10 * 60_000;

export async function withProjectLock<T>(
  project: string,
  fn: () => Promise<T>,
  say: (line: string) => void = (line) => void process.stderr.write(`${line}\n`),
): Promise<T> {
  const file = path.join(enginePaths().runRoot, `project-${project}.lock`);
  let entered = false;
  const locked = (timeoutMs: number): Promise<T> =>
    withLock(
      file,
      (lock) => {
        entered = true;
        lock.removeOnRelease();
        return fn();
      },
      timeoutMs,
    );
  try {
    return await locked(0);
  } catch (err) {
    // Only a lock someone else holds is waited for; a failure of fn's own is fn's.
    if (entered || (err as { code?: string }).code !== 'LOCK_TIMEOUT') throw err;
  }
  say(`waiting for another command that changes project ${project} to end`);
  return locked(WAIT_MS);
}
