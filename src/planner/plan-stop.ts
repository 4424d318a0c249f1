/**
 * `stop` as a plan (docker compose's `pkg/compose/stop.go`): the running containers of the
 * services, each service's once everything that depends on it has stopped. An attached `up`
 * stops its project this way on Ctrl-C and on --abort-on-container-exit, and `stop` and `rm -s`
 * from the files or from the labels alone.
 */
import type { Project } from '../compose-model/types';
import { isRunning } from './converge';
import type { Observed } from './observed';
import { PlanBuilder } from './plan-builder';
import type { Plan } from './plan-types';
import { stopOrder } from './service-order';
import { serviceView, type ServiceView } from './service-view';

export interface StopPlanOptions {
  /** Empty: every service's. */
  services?: string[];
  timeoutSeconds?: number;
}

export function planStop(project: Project, observed: Observed, opts: StopPlanOptions = {}): Plan {
  return planStopServices(serviceView(project, observed.containers), observed, opts);
}

export function planStopServices(view: ServiceView, observed: Observed, opts: StopPlanOptions = {}): Plan {
  const b = new PlanBuilder();
  addStops(b, view, observed, opts);
  return b.build();
}

/**
 * The stop nodes, into a plan that goes on after them; container name → its stop node. `alone`:
 * the services named without their dependents (`rm -s`, which removes only those).
 */
export function addStops(
  b: PlanBuilder,
  view: ServiceView,
  observed: Observed,
  opts: StopPlanOptions & { alone?: boolean },
): Map<string, string> {
  const { graph } = view;
  const selected = opts.services?.length
    ? opts.services.filter((s) => graph.services.includes(s))
    : undefined;
  const order = opts.alone && selected ? graph.order(selected).reverse() : stopOrder(graph, selected);
  const stopped = new Map<string, string[]>();
  const byName = new Map<string, string>();
  for (const s of order) {
    const after = [...new Set(graph.dependents(s).flatMap((d) => stopped.get(d) ?? []))];
    const own = observed.containers
      .filter((c) => c.service === s && !c.oneoff && isRunning(c))
      .sort((x, y) => (x.name < y.name ? -1 : 1))
      .map((c) => {
        const id = b.add(
          { kind: 'stop-container', service: s, name: c.name, timeoutSeconds: opts.timeoutSeconds },
          after,
        );
        byName.set(c.name, id);
        return id;
      });
    stopped.set(s, own.length > 0 ? own : after);
  }
  return byName;
}
