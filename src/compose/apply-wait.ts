/**
 * The depends_on conditions, checked as docker compose checks them (`waitDependencies` in
 * convergence.go): inspect the container until it is running, healthy or exited, and say what
 * it saw. A failure names the container and what it did, in docker compose's words.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, TscomposeError } from '../common/errors';
import type { ContainerApi } from '../engine-api/container/api';
import type { ContainerInspect } from '../engine-api/container/types';

export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

/** A container that cannot meet its condition (exit code 1, as docker compose's failed up). */
export class DependencyFailedError extends TscomposeError {
  constructor(message: string) {
    super(message, { code: 'DEPENDENCY_FAILED', exitCode: 1 });
  }
}

type Verdict = { met: string } | { failed: string } | 'pending';

const exited = (s: ContainerInspect['State']): boolean => s.Status === 'exited' || s.Status === 'dead';

/** What one inspect says about `condition`; `met` is the progress status (`Healthy`, `Exited`). */
export function judge(c: ContainerInspect, condition: DependsOnCondition): Verdict {
  const name = c.Name.replace(/^\//, '');
  const s = c.State;
  if (s.Status === 'created') return 'pending';
  switch (condition) {
    case 'service_started':
      // Started is enough, whatever happened since: it may be a one-shot done already.
      return { met: s.Running ? 'Running' : 'Started' };
    case 'service_healthy':
      if (!s.Health) return { failed: `container ${name} has no healthcheck configured` };
      if (s.Health.Status === 'healthy') return { met: 'Healthy' };
      if (s.Health.Status === 'unhealthy') return { failed: `container ${name} is unhealthy` };
      if (exited(s)) return { failed: `container ${name} exited (${s.ExitCode})` };
      return 'pending';
    case 'service_completed_successfully':
      if (!exited(s)) return 'pending';
      if (s.ExitCode === 0) return { met: 'Exited' };
      return { failed: `container ${name} didn't complete successfully: exit ${s.ExitCode}` };
  }
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/** Resolves with the status it saw once `condition` is met; rejects with why it never will. */
export async function waitForCondition(
  engine: Pick<ContainerApi, 'inspectContainer'>,
  name: string,
  condition: DependsOnCondition,
  opts: WaitOptions = {},
): Promise<string> {
  const interval = opts.intervalMs ?? 200;
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted)
      throw new CancelledError(`waiting for container ${name} was interrupted`, { exitCode: 130 });
    const verdict = judge(await engine.inspectContainer(name), condition);
    if (verdict !== 'pending') {
      if ('failed' in verdict) throw new DependencyFailedError(verdict.failed);
      return verdict.met;
    }
    if (Date.now() >= deadline) {
      const what = {
        service_started: 'start',
        service_healthy: 'become healthy',
        service_completed_successfully: 'complete',
      }[condition];
      const seconds = Math.round((opts.timeoutMs ?? 0) / 100) / 10;
      throw new DependencyFailedError(`container ${name} did not ${what} within ${seconds} s`);
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), undefined, {
      signal: opts.signal,
    }).catch(() => undefined);
  }
}
