/**
 * `down` (docker compose's `pkg/compose/down.go`): the project's containers stopped and removed
 * in reverse dependency order, then its networks, with -v its volumes, with --rmi its images;
 * from the files, or from the labels alone with `-p NAME`. Unlike `up` it does not stop at the
 * first failure: whatever can go goes, and the error names what could not, and why.
 */
import { TscomposeError } from '../common/errors';
import type { Project } from '../compose-model/types';
import type { EngineApi } from '../engine-api/engine-api';
import { formatPlan } from '../planner/format-plan';
import { planDown } from '../planner/plan-down';
import type { Operation, Plan } from '../planner/plan-types';
import { applyPlan } from './apply';
import { wordsFor } from './apply-progress';
import { RUNNERS, type OperationRunner, type OperationRunners } from './apply-runners';
import { observe } from './observe';
import type { ProgressSink } from './progress';
import { noCreateContext } from './state-plan';

/** docker compose's api.DownOptions. */
export interface DownOptions {
  removeOrphans?: boolean;
  /** -v: named volumes the project declares, and anonymous ones. */
  volumes?: boolean;
  /** --rmi local|all. */
  images?: 'local' | 'all';
  timeoutSeconds?: number;
  dryRun?: boolean;
}

export interface DownIo {
  progress: ProgressSink;
  print(text: string): void;
  warn(message: string): void;
  parallelLimit?: number;
}

export async function down(
  engine: EngineApi,
  name: string,
  project: Project | undefined,
  opts: DownOptions,
  io: DownIo,
): Promise<Plan> {
  const plan = planDown(name, project, await observe(engine, name, project), opts);
  if (opts.dryRun) {
    io.print(formatPlan(plan));
    return plan;
  }
  for (const w of plan.warnings) io.warn(w);
  const ctx = noCreateContext(engine, io.progress, io.parallelLimit);
  const failures: string[] = [];
  const result = await applyPlan(plan, ctx, bestEffort(failures));
  for (const f of result.failed) failures.push(f.error.message);
  if (failures.length > 0)
    throw new TscomposeError(`down could not remove ${failures.join('; ')}`, { code: 'DOWN_INCOMPLETE' });
  return plan;
}

/**
 * Runners that record a failure and let the plan go on, so one container that cannot be
 * removed does not keep the rest (and what does not need it) in place.
 */
function bestEffort(failures: string[]): OperationRunners {
  const wrap =
    <K extends Operation['kind']>(kind: K): OperationRunner<K> =>
    async (op, ctx) => {
      try {
        return await (RUNNERS[kind] as OperationRunner<K>)(op, ctx);
      } catch (err) {
        const message = (err as Error).message;
        failures.push(`${wordsFor(op).id}: ${message}`);
        return { status: 'Error', warning: message };
      }
    };
  return Object.fromEntries(
    (Object.keys(RUNNERS) as Operation['kind'][]).map((k) => [k, wrap(k)]),
  ) as unknown as OperationRunners;
}
