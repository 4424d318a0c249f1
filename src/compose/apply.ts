/**
 * The plan executor (docker compose's `executor.go`, ARCHITECTURE.md rule 3): each node runs once
 * every node it comes after is done, independent nodes at once up to a limit. It decides nothing:
 * on the first failure, or once the signal aborts, the nodes already running finish and nothing
 * new starts, and the result says what was done, what failed and what never ran, so `up` can
 * say what it made and leave the rest as it was.
 */
import { InvalidArgumentError } from '../common/errors';
import type { Operation, Plan, PlanNode } from '../planner/plan-types';
import { parallelLimitFrom, type ApplyContext, type ApplyResult } from './apply-context';
import { wordsFor } from './apply-progress';
import { RUNNERS, type OperationRunner, type OperationRunners, type RunOutcome } from './apply-runners';

/** The planner guarantees a topological order; a plan that breaks it is a planner bug, refused before any call. */
function checkOrder(plan: Plan): void {
  const seen = new Set<string>();
  for (const node of plan.nodes) {
    if (seen.has(node.id)) throw new InvalidArgumentError(`plan node ${node.id} appears twice`);
    for (const a of node.after)
      if (!seen.has(a))
        throw new InvalidArgumentError(`plan node ${node.id} comes after ${a}, which is not before it`);
    seen.add(node.id);
  }
}

export async function applyPlan(
  plan: Plan,
  ctx: ApplyContext,
  runners: OperationRunners = RUNNERS,
): Promise<ApplyResult> {
  checkOrder(plan);
  const limit = ctx.parallelLimit ?? parallelLimitFrom(process.env);
  const result: ApplyResult = { done: [], failed: [], skipped: [], warnings: [], interrupted: false };
  const finished = new Set<string>();
  const started = new Set<string>();
  let running = 0;

  const run = async (node: PlanNode): Promise<void> => {
    const words = wordsFor(node.op);
    if (words.working) ctx.progress.emit({ id: words.id, status: words.working, done: false });
    try {
      const runner = runners[node.op.kind] as OperationRunner<Operation['kind']>;
      const outcome: RunOutcome = (await runner(node.op, ctx)) ?? {};
      if (outcome.warning) result.warnings.push(outcome.warning);
      ctx.progress.emit({
        id: words.id,
        status: outcome.status ?? words.done,
        text: outcome.warning,
        done: words.final,
      });
      result.done.push(node.id);
      finished.add(node.id);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      result.failed.push({ id: node.id, error });
      ctx.progress.emit({ id: words.id, status: 'Error', text: error.message, done: true, error: true });
    }
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      const stopping = result.failed.length > 0 || ctx.signal?.aborted === true;
      if (!stopping) {
        for (const node of plan.nodes) {
          if (running >= limit) break;
          if (started.has(node.id) || !node.after.every((a) => finished.has(a))) continue;
          started.add(node.id);
          running++;
          void run(node).then(() => {
            running--;
            pump();
          });
        }
      }
      if (running === 0) resolve();
    };
    pump();
  });

  result.skipped = plan.nodes.filter((n) => !started.has(n.id)).map((n) => n.id);
  result.interrupted =
    ctx.signal?.aborted === true && (result.skipped.length > 0 || result.failed.length > 0);
  return result;
}
