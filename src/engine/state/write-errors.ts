/** The plain words of a failed state write, as dockerd reports them (`no space left on device`). */

/** `ENOSPC: no space left on device, open '/var/lib/…'` → `no space left on device`: no internal paths. */
export function writeFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(message);
  return m ? m[1] : message;
}
