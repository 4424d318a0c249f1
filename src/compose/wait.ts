/**
 * `up --wait`: the project is ready when every service container runs (healthy where it has a
 * healthcheck) and every one-shot service exited 0. One-shot: a service another waits on with
 * `service_completed_successfully`, or one with no restart policy that exited 0. The first
 * container that cannot become ready (exited with a failure, unhealthy) fails the wait, named.
 */
import type { Project } from '../compose-model/loader';
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerInspect } from '../engine-api/container/types';
import { TscomposeError } from '../common/errors';
import { progressEvent, resourceId, type ProgressSink } from './progress';

export interface WaitTarget {
  name: string;
  service: string;
}

export interface WaitOptions {
  /** 0 or absent: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  pollMs?: number;
}

/** docker compose's exit code for a failed `up --wait`. */
export const WAIT_FAILED_EXIT = 1;

type Verdict = 'ready' | 'waiting' | { failed: string };

export function oneShotServices(project: Project): Set<string> {
  const out = new Set<string>();
  for (const s of Object.values(project.services))
    for (const [dep, d] of Object.entries(s.dependsOn ?? {}))
      if (d.condition === 'service_completed_successfully') out.add(dep);
  return out;
}

function hasHealthcheck(c: ContainerInspect): boolean {
  const test = c.Config.Healthcheck?.Test;
  return !!test && test.length > 0 && test[0] !== 'NONE';
}

export function verdict(c: ContainerInspect, oneShot: boolean): Verdict {
  const s = c.State;
  const name = c.Name.replace(/^\//, '');
  const policy = c.HostConfig.RestartPolicy?.Name ?? '';
  if (s.Status === 'exited' || s.Status === 'dead') {
    if (s.ExitCode === 0 && (oneShot || policy === '' || policy === 'no')) return 'ready';
    return { failed: `container ${name} exited (${s.ExitCode})` };
  }
  if (oneShot) return 'waiting';
  if (s.Status !== 'running') return 'waiting'; // created, restarting, paused
  if (!hasHealthcheck(c)) return 'ready';
  const health = s.Health?.Status;
  if (health === 'healthy') return 'ready';
  if (health === 'unhealthy') return { failed: `container ${name} is unhealthy` };
  return 'waiting';
}

export async function waitForProject(
  engine: EngineApi,
  project: Project,
  targets: readonly WaitTarget[],
  sink: ProgressSink,
  opts: WaitOptions = {},
): Promise<void> {
  const oneShots = oneShotServices(project);
  const pending = new Map(targets.map((t) => [t.name, t]));
  const deadline = opts.timeoutMs ? Date.now() + opts.timeoutMs : Infinity;
  for (const t of targets) sink.emit(progressEvent(resourceId('Container', t.name), 'Waiting'));
  for (;;) {
    for (const t of [...pending.values()]) {
      const v = verdict(await engine.inspectContainer(t.name), oneShots.has(t.service));
      if (v === 'waiting') continue;
      pending.delete(t.name);
      const id = resourceId('Container', t.name);
      if (v === 'ready') {
        sink.emit(progressEvent(id, oneShots.has(t.service) ? 'Exited' : 'Healthy'));
        continue;
      }
      sink.emit(progressEvent(id, 'Error', v.failed));
      throw new TscomposeError(v.failed, { code: 'WAIT_FAILED', exitCode: WAIT_FAILED_EXIT });
    }
    if (pending.size === 0) return;
    if (opts.signal?.aborted) throw new TscomposeError('interrupted', { code: 'CANCELLED', exitCode: 130 });
    if (Date.now() > deadline) {
      const names = [...pending.keys()].sort().join(', ');
      for (const name of pending.keys())
        sink.emit(progressEvent(resourceId('Container', name), 'Error', 'not ready in time'));
      throw new TscomposeError(`timeout waiting for ${names} to be ready`, {
        code: 'WAIT_TIMEOUT',
        exitCode: WAIT_FAILED_EXIT,
      });
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}
