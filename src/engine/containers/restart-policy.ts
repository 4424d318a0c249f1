/**
 * Docker's restart policies and back-off (moby restartmanager): the delay starts at 100 ms and
 * doubles with every restart, up to a minute, and starts over once a run lasted 10 s.
 */
import type { RestartPolicy } from '../../engine-api/container/types';

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
const RESET_AFTER_MS = 10_000;

export function shouldRestart(
  policy: RestartPolicy | undefined,
  exitCode: number,
  restartCount: number,
  stoppedByUser: boolean,
): boolean {
  if (stoppedByUser) return false;
  switch (policy?.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure': {
      const max = policy.MaximumRetryCount ?? 0;
      return exitCode !== 0 && (max === 0 || restartCount < max);
    }
    default:
      return false;
  }
}

/** The next delay, given the one before (0 for the first restart) and how long the last run lasted. */
export function nextDelay(previousMs: number, ranMs: number): number {
  if (ranMs >= RESET_AFTER_MS || previousMs === 0) return FIRST_DELAY_MS;
  return Math.min(previousMs * 2, MAX_DELAY_MS);
}

/** Which containers a starting engine brings back: always, and unless-stopped unless it was stopped. */
export function startsWithEngine(policy: RestartPolicy | undefined, stoppedByUser: boolean): boolean {
  return policy?.Name === 'always' || (policy?.Name === 'unless-stopped' && !stoppedByUser);
}
