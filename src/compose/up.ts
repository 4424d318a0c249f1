/**
 * `up` (docker compose's `pkg/compose/up.go`, create.go and start.go): observe the project on
 * the engine, plan the way from there to the files (ARCHITECTURE.md rule 3), pull what the plan
 * pulls and plan again on what the pull brought, run the plan, and with --wait wait until the
 * services are ready. A failure stops the plan where it is: what was made stays, and the error
 * says what that was. The attached part of a foreground `up` is attach-project.ts.
 */
import { TscomposeError } from '../common/errors';
import { projectGraph } from '../compose-model/graph';
import type { Project } from '../compose-model/types';
import type { EngineApi } from '../engine-api/engine-api';
import { formatPlan } from '../planner/format-plan';
import type { Plan, RecreatePolicy, UpPlanOptions } from '../planner/plan-types';
import { planUp } from '../planner/plan-up';
import { applyPlan } from './apply';
import type { ApplyResult } from './apply-context';
import { wordsFor } from './apply-progress';
import type { LogSource } from './logs';
import { observe } from './observe';
import { projectApplyContext } from './project-apply-context';
import { numberOf, projectContainers, serviceOf, containerName } from './project-containers';
import type { ProgressSink } from './progress';
import { waitForProject } from './wait';

/** docker compose's api.CreateOptions, as far as the planner takes them. */
export interface CreateOptions {
  /** Services asked for (operands); empty: all. */
  services: string[];
  noDeps?: boolean;
  recreate: RecreatePolicy;
  recreateDependencies?: RecreatePolicy;
  renewAnonVolumes?: boolean;
  removeOrphans?: boolean;
  scale?: Record<string, number>;
  pull?: UpPlanOptions['pull'];
  /** -t: for the containers a recreate or orphan removal stops. */
  timeoutSeconds?: number;
}

/** docker compose's api.StartOptions for a detached start. */
export interface StartOptions {
  /** --wait: until every service is running/healthy and one-shots exited 0. */
  wait?: boolean;
  /** --wait-timeout (0 or absent: none). */
  waitTimeoutMs?: number;
}

export interface UpOptions {
  create: CreateOptions;
  /** Absent: --no-start. */
  start?: StartOptions;
  /** Print the plan, change nothing. */
  dryRun?: boolean;
}

export interface UpIo {
  progress: ProgressSink;
  /** Where --dry-run writes the plan. */
  print(text: string): void;
  /** One line that does not fail `up` (an orphan, a dropped key). */
  warn(message: string): void;
  /** Ctrl-C: what runs finishes, nothing new starts. */
  signal?: AbortSignal;
  parallelLimit?: number;
  /** The X-Registry-Auth header for an image's registry (the user's `login`), if any. */
  registryAuth?(image: string): string | undefined;
}

export interface UpResult {
  plan: Plan;
  /** The containers of the services `up` worked on, as they are now. */
  containers: LogSource[];
}

/** A plan that failed or was interrupted: what it made is named, and left as it is. */
export class UpFailedError extends TscomposeError {
  constructor(message: string, made: string[], exitCode: number, cause?: unknown) {
    super(message, {
      code: 'UP_FAILED',
      exitCode,
      cause,
      hint:
        made.length > 0
          ? `up made or changed ${made.join(', ')} before it stopped and left them as they are`
          : 'up changed nothing',
    });
  }
}

export async function up(engine: EngineApi, project: Project, opts: UpOptions, io: UpIo): Promise<UpResult> {
  const planOptions: UpPlanOptions = {
    services: opts.create.services,
    noDeps: opts.create.noDeps,
    start: opts.start !== undefined,
    recreate: opts.create.recreate,
    recreateDependencies: opts.create.recreateDependencies,
    renewAnonVolumes: opts.create.renewAnonVolumes,
    removeOrphans: opts.create.removeOrphans,
    scale: opts.create.scale,
    pull: opts.create.pull,
    timeoutSeconds: opts.create.timeoutSeconds,
  };
  let plan = planUp(project, await observe(engine, project.name, project), planOptions);
  if (opts.dryRun) {
    io.print(formatPlan(plan));
    return { plan, containers: [] };
  }
  for (const w of plan.warnings) io.warn(w);
  const ctx = projectApplyContext(engine, project, io.progress, {
    renewAnonVolumes: opts.create.renewAnonVolumes,
    signal: io.signal,
    parallelLimit: io.parallelLimit,
    warn: io.warn,
    registryAuth: io.registryAuth,
  });

  const pulls = plan.nodes.filter((n) => n.op.kind === 'pull-image');
  if (pulls.length > 0) {
    const pulled = await applyPlan({ nodes: pulls.map((n) => ({ ...n, after: [] })), warnings: [] }, ctx);
    checkResult(pulled, { nodes: pulls, warnings: [] });
    // The pulls may have brought new image ids: converge on what is there now.
    plan = planUp(project, await observe(engine, project.name, project), { ...planOptions, pull: 'missing' });
  }
  checkResult(await applyPlan(plan, ctx), plan);

  const containers = (
    await projectContainers(engine, project.name, { all: true, services: upServices(project, opts) })
  ).map((c) => ({ name: containerName(c), service: serviceOf(c), number: numberOf(c) }));
  if (opts.start?.wait)
    await waitForProject(engine, project, containers, io.progress, {
      timeoutMs: opts.start.waitTimeoutMs,
      signal: io.signal,
    });
  return { plan, containers };
}

/** The services `up` brought up: those asked (all by default) and, unless --no-deps, what they need. */
function upServices(project: Project, opts: UpOptions): string[] {
  const asked = opts.create.services;
  if (asked.length === 0) return Object.keys(project.services).sort();
  return opts.create.noDeps ? [...asked].sort() : projectGraph(project.services).withDependencies(asked);
}

function checkResult(result: ApplyResult, plan: Plan): void {
  if (result.failed.length === 0 && !result.interrupted) return;
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const made = [
    ...new Set(
      result.done.flatMap((id) => {
        const op = byId.get(id)?.op;
        return op && op.kind !== 'wait-container' ? [wordsFor(op).id] : [];
      }),
    ),
  ];
  const failure = result.failed[0];
  if (!failure) throw new UpFailedError('up was interrupted', made, 130);
  const exitCode = failure.error instanceof TscomposeError ? failure.error.exitCode : 1;
  throw new UpFailedError(failure.error.message, made, exitCode, failure.error);
}
