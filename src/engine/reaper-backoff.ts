/**
 * How long the reaper waits before it starts a crashed daemon again: 100 ms, doubling with every
 * crash up to 30 s (a daemon down for longer than that is worse than one retried often), and
 * from the start again once a daemon ran for a minute.
 */
const FIRST_DELAY_MS = 100;
export const MAX_DAEMON_DELAY_MS = 30_000;
const RESET_AFTER_MS = 60_000;

/** The next delay, given the one before (0 for the first restart) and how long the daemon ran. */
export function daemonRestartDelay(previousMs: number, ranMs: number): number {
  if (ranMs >= RESET_AFTER_MS || previousMs === 0) return FIRST_DELAY_MS;
  return Math.min(previousMs * 2, MAX_DAEMON_DELAY_MS);
}
