/**
 * One container init spawned ahead, waiting on ctl: Node's own start (~50 ms of every container
 * start) then happens between starts instead of in them. Each pooled init is already PID 1 of
 * its own new pid namespace; it learns which container it is only when taken.
 */
import path from 'node:path';
import { discard, spawnHelper, type Spawned } from './launch';

const INIT_SCRIPT = path.join(__dirname, 'init', 'main.js');
/** Long enough not to compete with the start that just took the spare. */
const REFILL_MS = 150;

export function spawnInit(): Spawned {
  return spawnHelper(INIT_SCRIPT, 'ignore', 'ignore', 'new');
}

const alive = (h: Spawned): boolean => h.child.exitCode === null && h.child.signalCode === null;

export class InitPool {
  private spare: Spawned | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  take(): Spawned {
    const ready = this.spare && alive(this.spare) ? this.spare : undefined;
    if (this.spare && !ready) discard(this.spare);
    this.spare = undefined;
    this.refillSoon();
    if (!ready) return spawnInit();
    ready.child.ref();
    return ready;
  }

  /** Fills the pool ahead of the first start. */
  warm(): void {
    this.refillSoon();
  }

  private refillSoon(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed || this.spare) return;
      try {
        this.spare = spawnInit();
        // A spare must not keep a daemon (or a test) alive that has nothing else to do.
        this.spare.child.unref();
      } catch {
        // no spare then; the next start spawns its own
      }
    }, REFILL_MS);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.spare) discard(this.spare);
    this.spare = undefined;
  }
}
