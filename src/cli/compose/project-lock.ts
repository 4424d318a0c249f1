/**
 * One lock per project for the verbs that change it (ARCHITECTURE.md, "Where state lives"): two
 * `up`s of one project at once would each plan from what the other has not made yet, and both
 * create it. The lock is the engine's flock (a process that dies lets go), in the run root beside
 * the engine's socket; it is held while a verb plans and applies, not while `up` streams logs.
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
  const file = path.join(enginePaths().runRoot, 'projects', `${project}.lock`);
  try {
    return await withLock(file, fn, 0);
  } catch (err) {
    if ((err as { code?: string }).code !== 'LOCK_TIMEOUT') throw err;
  }
  say(`waiting for another command that changes project ${project} to end`);
  return withLock(file, fn, WAIT_MS);
}
