/**
 * The verbs that go dependencies first, as plans: `start` (docker compose's `pkg/compose/start.go`)
 * starts the stopped containers of the services and of what they need; `restart`
 * (`restart.go`) restarts every container of the services and of the services that name them
 * with `depends_on: {restart: true}` (with --no-deps, the services alone). Either way a service's
 * containers go once its dependencies' did and their `service_healthy` or
 * `service_completed_successfully` conditions hold, as docker compose's waitDependencies.
 */
import { TscomposeError } from '../common/errors';
import { DependencyGraph } from '../compose-model/graph';
import type { DependencyConfig } from '../compose-model/project-types';
import { isRunning } from './converge';
import type { Observed, ObservedContainer } from './observed';
import { PlanBuilder } from './plan-builder';
import type { Operation, Plan } from './plan-types';
import type { ServiceView } from './service-view';

export interface StartPlanOptions {
  /** Empty: the view's default services. */
  services?: string[];
}

export interface RestartPlanOptions extends StartPlanOptions {
  /** The services named alone, not their `restart: true` dependents. */
  noDeps?: boolean;
  timeoutSeconds?: number;
}

export function planStart(view: ServiceView, observed: Observed, opts: StartPlanOptions = {}): Plan {
  const selected = opts.services?.length ? opts.services : view.defaults;
  const order = view.graph.order(view.graph.withDependencies(known(view.graph, selected)));
  for (const s of order)
    if (serviceContainers(observed, s).length === 0 && !view.scaledToZero(s))
      throw new TscomposeError(`service "${s}" has no container to start`, { code: 'NO_CONTAINER' });
  return inDependencyOrder(view.graph, order, view.dependsOn, observed, (c) =>
    isRunning(c) ? undefined : { kind: 'start-container', service: c.service, name: c.name },
  );
}

export function planRestart(view: ServiceView, observed: Observed, opts: RestartPlanOptions = {}): Plan {
  // Only `restart: true` dependencies order a restart (docker compose drops the others).
  const dependsOn = (s: string): Record<string, DependencyConfig> =>
    Object.fromEntries(Object.entries(view.dependsOn(s)).filter(([, d]) => d.restart === true));
  const graph = new DependencyGraph(
    Object.fromEntries(view.graph.services.map((s) => [s, { depends_on: dependsOn(s) }])),
  );
  const named = known(graph, opts.services ?? []);
  const selected = named.length === 0 ? view.defaults : opts.noDeps ? named : graph.withDependents(named);
  return inDependencyOrder(graph, graph.order(selected), dependsOn, observed, (c) => ({
    kind: 'restart-container',
    service: c.service,
    name: c.name,
    ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}),
  }));
}

const known = (graph: DependencyGraph, services: readonly string[]): string[] =>
  services.filter((s) => graph.services.includes(s));

const serviceContainers = (observed: Observed, service: string): ObservedContainer[] =>
  observed.containers
    .filter((c) => c.service === service && !c.oneoff)
    .sort((a, b) => a.number - b.number || (a.name < b.name ? -1 : 1));

/**
 * One node per container (`op` undefined: none for it), each service's after its dependencies'
 * nodes and after the waits for their conditions on every container of theirs.
 */
function inDependencyOrder(
  graph: DependencyGraph,
  order: string[],
  dependsOn: (service: string) => Record<string, DependencyConfig>,
  observed: Observed,
  op: (c: ObservedContainer) => Operation | undefined,
): Plan {
  const b = new PlanBuilder();
  const done = new Map<string, string[]>();
  const nodeOf = new Map<string, string>();
  for (const s of order) {
    const deps = graph.dependencies(s).filter((d) => done.has(d));
    const after = [...new Set(deps.flatMap((d) => done.get(d) ?? []))];
    for (const d of deps) {
      const dep = dependsOn(s)[d];
      if (!dep || dep.condition === 'service_started') continue;
      for (const c of serviceContainers(observed, d)) {
        const id = b.add(
          {
            kind: 'wait-container',
            service: d,
            name: c.name,
            condition: dep.condition,
            required: dep.required,
          },
          nodeOf.has(c.name) ? [nodeOf.get(c.name) as string] : [],
        );
        const node = b.get(id);
        if (node?.op.kind === 'wait-container' && dep.required) node.op.required = true;
        after.push(id);
      }
    }
    const own: string[] = [];
    for (const c of serviceContainers(observed, s)) {
      const o = op(c);
      if (!o) continue;
      const id = b.add(o, after);
      nodeOf.set(c.name, id);
      own.push(id);
    }
    done.set(s, own.length > 0 ? own : after);
  }
  return b.build();
}
