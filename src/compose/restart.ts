/**
 * `restart` (docker compose's `pkg/compose/restart.go`): every container of the services, stopped
 * ones too, restarted in dependency order with the services that name them with
 * `depends_on: {restart: true}` (not with --no-deps); -t is the stop timeout of each.
 */
import { planRestart, type RestartPlanOptions } from '../planner/plan-start';
import { runStatePlan, statePlan, type StateTarget, type StateVerbIo } from './state-plan';

export async function restart(
  t: StateTarget,
  opts: RestartPlanOptions & { dryRun?: boolean },
  io: StateVerbIo,
): Promise<void> {
  const plan = await statePlan(t, (view, observed) => planRestart(view, observed, opts));
  await runStatePlan(t, plan, io, opts.dryRun);
}
