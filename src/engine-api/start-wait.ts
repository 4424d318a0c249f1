/**
 * How the CLI waits for an engine it started (or one whose reaper is bringing it back): as long
 * as that process lives, up to a bound, with a line on stderr once the wait is long enough to
 * notice; at once with the reason when the process has died. A loaded machine can take many
 * seconds to start Node twice and load the engine; a dead engine will never answer.
 */
export const START_BOUND_MS = 60_000;
export const PROGRESS_AFTER_MS = 2_000;

export interface StartWaitDeps {
  /** True once the engine answers. */
  answers(): Promise<boolean>;
  /** Why the process we wait on is gone (`exit code 1`), or undefined while it lives. */
  died(): string | undefined;
  progress(line: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type StartWaitResult = { ok: true } | { ok: false; why: string };

export async function waitForStart(d: StartWaitDeps, boundMs = START_BOUND_MS): Promise<StartWaitResult> {
  const t0 = d.now();
  let told = false;
  for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
    if (await d.answers()) return { ok: true };
    const exit = d.died();
    // It may have answered just before it died (a stop meanwhile): that is its last word.
    if (exit !== undefined)
      return (await d.answers()) ? { ok: true } : { ok: false, why: `failed (${exit})` };
    const elapsed = d.now() - t0;
    if (elapsed > boundMs) return { ok: false, why: `did not come up within ${boundMs / 1000} s` };
    if (!told && elapsed >= PROGRESS_AFTER_MS) {
      told = true;
      d.progress('waiting for the tscompose engine to start…');
    }
    await d.sleep(wait);
  }
}
