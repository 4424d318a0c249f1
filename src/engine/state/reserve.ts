/**
 * Room kept on the state root's filesystem for the engine's own records. Containers can fill
 * that disk (their logs, the upper dirs of their root fs): the reserve is then given up so that
 * a start, stop or removal can still be noted on disk, and taken again once there is room. The
 * image store keeps its own margin (min-free-space) for what it adds; this one is for the
 * records of what already exists.
 */
import fs from 'node:fs';
import path from 'node:path';

export const RESERVE_BYTES = 2 * 1024 * 1024;

export class SpaceReserve {
  private taken = false;

  constructor(
    readonly file: string,
    readonly size = RESERVE_BYTES,
  ) {}

  get held(): boolean {
    return this.taken;
  }

  /**
   * Takes the room, only when the disk has twice as much free (a nearly full disk is left to
   * what needs it now); true when held.
   */
  take(): boolean {
    if (this.taken) return true;
    try {
      if (fs.statSync(this.file, { throwIfNoEntry: false })?.size === this.size) return (this.taken = true);
      const fsStat = fs.statfsSync(path.dirname(this.file));
      if (fsStat.bavail * fsStat.bsize < 2 * this.size) return false;
      // Written, not a hole: the blocks are the reserve.
      fs.writeFileSync(this.file, Buffer.alloc(this.size), { mode: 0o600 });
      return (this.taken = true);
    } catch {
      removeQuietly(this.file);
      return false;
    }
  }

  /** Frees the room for the engine's next writes; false when there was none to give. */
  release(): boolean {
    if (!this.taken) return false;
    this.taken = false;
    removeQuietly(this.file);
    return true;
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Taken again later, or given up: either way nothing depends on it now.
  }
}
