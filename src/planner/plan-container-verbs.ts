/**
 * The verbs that act on each container alone, in no order, as docker compose runs them
 * concurrently: `kill` (`pkg/compose/kill.go`: the running ones, `run`'s too), `pause` and
 * `unpause` (`pause.go`), `rm` (`remove.go`: the stopped ones; with -s the running ones are
 * stopped first, in reverse dependency order). With compose files, only the services they
 * declare are touched (`kill --remove-orphans` takes the others too).
 */
import { isRunning } from './converge';
import type { Observed, ObservedContainer } from './observed';
import { PlanBuilder } from './plan-builder';
import type { Plan } from './plan-types';
import { addStops } from './plan-stop';
import type { ServiceView } from './service-view';

export interface ContainerVerbOptions {
  /** Empty: every service's. */
  services?: string[];
}

export interface KillPlanOptions extends ContainerVerbOptions {
  signal: string;
  removeOrphans?: boolean;
}

export interface RemovePlanOptions extends ContainerVerbOptions {
  /** -s: running ones are stopped first, and removed too. */
  stop?: boolean;
  /** -v: their anonymous volumes go with them. */
  volumes?: boolean;
  timeoutSeconds?: number;
}

function selected(
  view: ServiceView,
  observed: Observed,
  opts: ContainerVerbOptions & { oneoff?: boolean; orphans?: boolean },
): ObservedContainer[] {
  const named = new Set(opts.services ?? []);
  const known = new Set(view.graph.services);
  return observed.containers
    .filter((c) => opts.oneoff || !c.oneoff)
    .filter((c) => named.size === 0 || named.has(c.service))
    .filter((c) => opts.orphans || known.has(c.service))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function planKill(view: ServiceView, observed: Observed, opts: KillPlanOptions): Plan {
  const b = new PlanBuilder();
  for (const c of selected(view, observed, { ...opts, oneoff: true, orphans: opts.removeOrphans }))
    if (isRunning(c))
      b.add({ kind: 'kill-container', service: c.service, name: c.name, signal: opts.signal });
  return b.build();
}

export function planPause(view: ServiceView, observed: Observed, opts: ContainerVerbOptions = {}): Plan {
  const b = new PlanBuilder();
  for (const c of selected(view, observed, opts))
    if (c.state === 'running') b.add({ kind: 'pause-container', service: c.service, name: c.name });
  return b.build();
}

export function planUnpause(view: ServiceView, observed: Observed, opts: ContainerVerbOptions = {}): Plan {
  const b = new PlanBuilder();
  for (const c of selected(view, observed, opts))
    if (c.state === 'paused') b.add({ kind: 'unpause-container', service: c.service, name: c.name });
  return b.build();
}

/**
 * Unlike docker compose, which stops first and asks after, the plan is whole before anything
 * changes: a "no" to `rm -s`'s question leaves the containers running.
 */
export function planRemove(view: ServiceView, observed: Observed, opts: RemovePlanOptions = {}): Plan {
  const b = new PlanBuilder();
  const stops = opts.stop
    ? addStops(b, view, observed, {
        services: opts.services,
        timeoutSeconds: opts.timeoutSeconds,
        alone: true,
      })
    : new Map<string, string>();
  for (const c of selected(view, observed, opts)) {
    const stop = stops.get(c.name);
    if (isRunning(c) && !stop) continue;
    b.add(
      {
        kind: 'remove-container',
        service: c.service,
        name: c.name,
        ...(opts.volumes ? { volumes: true } : {}),
      },
      stop ? [stop] : [],
    );
  }
  return b.build();
}
