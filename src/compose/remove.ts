/**
 * `rm` (docker compose's `pkg/compose/remove.go`): the stopped containers of the services (with
 * -s the running ones too, stopped first), named and confirmed before anything changes; with -v
 * their anonymous volumes go with them.
 */
import type { Plan } from '../planner/plan-types';
import { planRemove, type RemovePlanOptions } from '../planner/plan-container-verbs';
import { runStatePlan, statePlan, type StateTarget, type StateVerbIo } from './state-plan';

export interface RemoveIo extends StateVerbIo {
  /** Whether to go on removing these (docker compose's prompt, or -f's "Going to remove"). */
  confirm(names: string[]): Promise<boolean>;
}

/** The plan, or undefined when nothing was there to remove (docker compose's "No stopped containers"). */
export async function remove(
  t: StateTarget,
  opts: RemovePlanOptions & { services: string[]; dryRun?: boolean },
  io: RemoveIo,
): Promise<Plan | undefined> {
  const plan = await statePlan(t, (view, observed) => planRemove(view, observed, opts));
  const names = plan.nodes.flatMap((n) => (n.op.kind === 'remove-container' ? [n.op.name] : []));
  if (names.length === 0) return undefined;
  if (!opts.dryRun && !(await io.confirm(names))) return plan;
  await runStatePlan(t, plan, io, opts.dryRun);
  return plan;
}
