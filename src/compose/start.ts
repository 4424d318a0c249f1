/**
 * `start` (docker compose's `pkg/compose/start.go`): the stopped containers of the services and
 * of what they need started, dependencies first, each service once its dependencies' conditions
 * hold; with --wait, then until the services are running/healthy, as `up --wait`.
 */
import { InvalidArgumentError } from '../common/errors';
import { projectGraph } from '../compose-model/graph';
import { planStart } from '../planner/plan-start';
import { projectContainers, containerName, serviceOf } from './project-containers';
import { runStatePlan, statePlan, type StateTarget, type StateVerbIo } from './state-plan';
import { waitForProject } from './wait';

export interface StartOptions {
  services: string[];
  wait?: boolean;
  /** 0 or absent: no limit. */
  waitTimeoutMs?: number;
  dryRun?: boolean;
}

export async function start(t: StateTarget, opts: StartOptions, io: StateVerbIo): Promise<void> {
  if (opts.wait && !t.project) throw new InvalidArgumentError('start --wait needs the compose files');
  const plan = await statePlan(t, (view, observed) => planStart(view, observed, opts));
  await runStatePlan(t, plan, io, opts.dryRun);
  if (!opts.wait || !t.project || opts.dryRun) return;
  const { project } = t;
  const services = projectGraph({ ...project.disabled, ...project.services }).withDependencies(
    opts.services.length > 0 ? opts.services : Object.keys(project.services),
  );
  const targets = (await projectContainers(t.engine, t.name, { all: true, services })).map((c) => ({
    name: containerName(c),
    service: serviceOf(c),
  }));
  await waitForProject(t.engine, project, targets, io.progress, { timeoutMs: opts.waitTimeoutMs });
}
