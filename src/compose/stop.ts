/**
 * Stopping a project's containers, as `stop` does and an attached `up` on Ctrl-C or when a
 * container's exit aborts it: gracefully in reverse dependency order (a plan), or at once with
 * SIGKILL when the user presses Ctrl-C again.
 */
import type { Project } from '../compose-model/types';
import type { EngineApi } from '../engine-api/engine-api';
import { isRunning } from '../planner/converge';
import { planStop, planStopServices } from '../planner/plan-stop';
import { applyPlan } from './apply';
import { observe } from './observe';
import { projectApplyContext } from './project-apply-context';
import type { ProgressSink } from './progress';
import { runStatePlan, statePlan, type StateTarget, type StateVerbIo } from './state-plan';

export interface StopOptions {
  /** Empty: every service's containers. */
  services?: string[];
  timeoutSeconds?: number;
}

export async function stopProject(
  engine: EngineApi,
  project: Project,
  opts: StopOptions,
  progress: ProgressSink,
): Promise<void> {
  const plan = planStop(project, await observe(engine, project.name, project), opts);
  const result = await applyPlan(plan, projectApplyContext(engine, project, progress));
  if (result.failed.length > 0) throw result.failed[0].error;
}

/** SIGKILL to every running container of the project's services. */
export async function killProject(
  engine: EngineApi,
  project: Project,
  opts: StopOptions = {},
): Promise<void> {
  const observed = await observe(engine, project.name, project);
  const wanted = new Set(opts.services ?? []);
  await Promise.all(
    observed.containers
      .filter((c) => !c.oneoff && isRunning(c) && (wanted.size === 0 || wanted.has(c.service)))
      .map((c) => engine.killContainer(c.name, 'SIGKILL').catch(() => undefined)),
  );
}

/** `stop`: from the files or the labels alone, each service's containers once its dependents'. */
export async function stop(
  t: StateTarget,
  opts: StopOptions & { dryRun?: boolean },
  io: StateVerbIo,
): Promise<void> {
  const plan = await statePlan(t, (view, observed) => planStopServices(view, observed, opts));
  await runStatePlan(t, plan, io, opts.dryRun);
}
