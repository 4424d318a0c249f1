/**
 * `stop` as a plan (docker compose's `pkg/compose/stop.go`): the running containers of the
 * services, each service's once everything that depends on it has stopped. An attached `up`
 * stops its project this way on Ctrl-C and on --abort-on-container-exit.
 */
import { projectGraph } from '../compose-model/graph';
import type { Project } from '../compose-model/types';
import { isRunning } from './converge';
import type { Observed } from './observed';
import { PlanBuilder } from './plan-builder';
import type { Plan } from './plan-types';
import { stopOrder } from './service-order';

export interface StopPlanOptions {
  /** Empty: every service's. */
  services?: string[];
  timeoutSeconds?: number;
}

export function planStop(project: Project, observed: Observed, opts: StopPlanOptions = {}): Plan {
  const b = new PlanBuilder();
  const graph = projectGraph({ ...project.disabled, ...project.services });
  const selected = opts.services?.length
    ? opts.services.filter((s) => graph.services.includes(s))
    : undefined;
  const stopped = new Map<string, string[]>();
  for (const s of stopOrder(graph, selected)) {
    const after = [...new Set(graph.dependents(s).flatMap((d) => stopped.get(d) ?? []))];
    const own = observed.containers
      .filter((c) => c.service === s && !c.oneoff && isRunning(c))
      .sort((x, y) => (x.name < y.name ? -1 : 1))
      .map((c) =>
        b.add(
          { kind: 'stop-container', service: s, name: c.name, timeoutSeconds: opts.timeoutSeconds },
          after,
        ),
      );
    stopped.set(s, own.length > 0 ? own : after);
  }
  return b.build();
}
