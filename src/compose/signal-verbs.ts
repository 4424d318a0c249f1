/**
 * `kill`, `pause` and `unpause` (docker compose's `pkg/compose/kill.go`, `pause.go`): each
 * container alone, concurrently. The plan is returned: an empty one is docker compose's "No
 * container to kill", which the CLI says.
 */
import { planKill, planPause, planUnpause, type KillPlanOptions } from '../planner/plan-container-verbs';
import type { Plan } from '../planner/plan-types';
import { runStatePlan, statePlan, type StateTarget, type StateVerbIo } from './state-plan';

export interface VerbOptions {
  services: string[];
  dryRun?: boolean;
}

export async function kill(
  t: StateTarget,
  opts: VerbOptions & KillPlanOptions,
  io: StateVerbIo,
): Promise<Plan> {
  const plan = await statePlan(t, (view, observed) => planKill(view, observed, opts));
  await runStatePlan(t, plan, io, opts.dryRun);
  return plan;
}

export async function pause(t: StateTarget, opts: VerbOptions, io: StateVerbIo): Promise<Plan> {
  const plan = await statePlan(t, (view, observed) => planPause(view, observed, opts));
  await runStatePlan(t, plan, io, opts.dryRun);
  return plan;
}

export async function unpause(t: StateTarget, opts: VerbOptions, io: StateVerbIo): Promise<Plan> {
  const plan = await statePlan(t, (view, observed) => planUnpause(view, observed, opts));
  await runStatePlan(t, plan, io, opts.dryRun);
  return plan;
}
