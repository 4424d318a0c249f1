/**
 * What the state verbs (start, stop, restart, kill, pause, unpause, rm) share: the project
 * observed (from its files, or its labels alone), a plan made of it, then printed (--dry-run)
 * or run with no create of anything, the first failure being the verb's.
 */
import type { Project } from '../compose-model/types';
import type { EngineApi } from '../engine-api/engine-api';
import { formatPlan } from '../planner/format-plan';
import type { Observed } from '../planner/observed';
import type { Plan } from '../planner/plan-types';
import { serviceView, type ServiceView } from '../planner/service-view';
import { applyPlan } from './apply';
import type { ApplyContext } from './apply-context';
import { observe } from './observe';
import type { ProgressSink } from './progress';

export interface StateVerbIo {
  progress: ProgressSink;
  /** Where --dry-run writes the plan. */
  print(text: string): void;
  parallelLimit?: number;
}

export interface StateTarget {
  engine: EngineApi;
  name: string;
  /** Absent: the project by its labels alone (`-p NAME` with no compose file around). */
  project?: Project;
}

export type StatePlanner = (view: ServiceView, observed: Observed) => Plan;

/** The plan of a verb on what the project has now. */
export async function statePlan(t: StateTarget, planner: StatePlanner): Promise<Plan> {
  const observed = await observe(t.engine, t.name, t.project);
  return planner(serviceView(t.project, observed.containers), observed);
}

/** Runs (or with dryRun prints) a plan; throws its first failure. */
export async function runStatePlan(
  t: StateTarget,
  plan: Plan,
  io: StateVerbIo,
  dryRun?: boolean,
): Promise<void> {
  if (dryRun) {
    io.print(formatPlan(plan));
    return;
  }
  const result = await applyPlan(plan, noCreateContext(t.engine, io.progress, io.parallelLimit));
  if (result.failed.length > 0) throw result.failed[0].error;
}

/** The executor's context for a plan that creates nothing (down, the state verbs). */
export function noCreateContext(
  engine: EngineApi,
  progress: ProgressSink,
  parallelLimit?: number,
): ApplyContext {
  const refuse = (what: string) => (): never => {
    throw new Error(`this plan creates no ${what}`);
  };
  return {
    engine,
    progress,
    parallelLimit,
    createBody: refuse('container'),
    networkBody: refuse('network'),
    volumeBody: refuse('volume'),
  };
}
