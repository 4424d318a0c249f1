/** The plain words of a failed state write, as dockerd reports them (`no space left on device`). */

/** `ENOSPC: no space left on device, open '/var/lib/…'` → `no space left on device`: no internal paths. */
export function writeFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(message);
  return m ? m[1] : message;
}

/** A disk (or quota) with no room: what a freed reserve can help with, unlike an I/O error. */
export function isOutOfSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  // The runtime's StartError keeps only the message of what failed.
  return err instanceof Error && /^(ENOSPC|EDQUOT):/.test(err.message);
}
