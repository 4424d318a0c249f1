/**
 * `up` as a plan: networks and volumes, then images, then each service's containers in
 * dependency order (docker compose's create, convergence and start phases folded into one DAG).
 * A service's containers are made once what they need exists, and started once what they
 * depend on started and met its `depends_on` condition; services with no path between them have
 * no edge, so the executor runs them in parallel.
 *
 * The plan is made before any pull, so an image that a pull replaces (`--pull always`) only
 * shows as a new image id to a plan made after it: a caller that pulls runs the pull nodes,
 * observes again and plans again, as docker compose converges only after pulling.
 */
import { NotFoundError } from '../common/errors';
import { projectGraph } from '../compose-model/graph';
import type { ServiceConfig } from '../compose-model/project-types';
import type { Project } from '../compose-model/types';
import {
  decideService,
  expectedScale,
  isRunning,
  namespaceParents,
  replacesContainers,
  type ServiceDecision,
} from './converge';
import { replacementName } from './names';
import type { Observed, ObservedContainer } from './observed';
import { PlanBuilder } from './plan-builder';
import type { Plan, UpPlanOptions } from './plan-types';
import { planImages, planNetworksAndVolumes } from './up-resources';

export function planUp(project: Project, observed: Observed, opts: UpPlanOptions): Plan {
  const b = new PlanBuilder();
  const graph = projectGraph(project.services);
  for (const s of opts.services)
    if (!(s in project.services))
      throw new NotFoundError(`no such service: ${s}`, { code: 'NO_SUCH_SERVICE' });
  const asked = new Set(opts.services.length > 0 ? opts.services : graph.services);
  const planned = graph.order(opts.noDeps ? [...asked] : graph.withDependencies([...asked]));
  const services = planned.map((n) => project.services[n]);
  const scales = new Map(services.map((s) => [s.name, expectedScale(s, opts.scale)]));

  const resources = planNetworksAndVolumes(b, project, services, observed);
  const pulls = planImages(
    b,
    project,
    services.filter((s) => (scales.get(s.name) ?? 0) > 0),
    observed,
    opts.pull,
  );
  planOrphans(b, project, observed, opts);

  const decisions = decide(project, observed, opts, services, asked, scales);
  const emitted = new Map<string, Emitted>();
  for (const s of services) {
    const deps = graph.dependencies(s.name).filter((d) => emitted.has(d));
    emitted.set(
      s.name,
      emitService(b, s, decisions, emitted, deps, {
        before: [...(resources.get(s.name) ?? []), ...(pulls.get(s.name) ?? [])],
        opts,
        project,
      }),
    );
  }
  return b.build();
}

/** Every service's decision, in dependency order so a parent's recreate is known to its children. */
function decide(
  project: Project,
  observed: Observed,
  opts: UpPlanOptions,
  services: ServiceConfig[],
  asked: Set<string>,
  scales: Map<string, number>,
): Map<string, ServiceDecision> {
  const out = new Map<string, ServiceDecision>();
  for (const s of services) {
    // docker compose: the asked services follow --force/--no-recreate, the others pulled in as
    // dependencies --always-recreate-deps; -V makes the asked ones afresh.
    const policy = asked.has(s.name)
      ? opts.renewAnonVolumes
        ? 'force'
        : opts.recreate
      : (opts.recreateDependencies ?? 'diverged');
    const recreated = (name: string): boolean =>
      out.get(name)?.containers.some((c) => c.action === 'recreate') ?? false;
    out.set(
      s.name,
      decideService(s, {
        project,
        observed,
        policy,
        scale: scales.get(s.name) ?? 1,
        parentReplaced: namespaceParents(s).some((p) => {
          const d = out.get(p);
          return d !== undefined && replacesContainers(d);
        }),
        dependencyRecreated: Object.entries(s.dependsOn ?? {}).some(
          ([d, dep]) => dep.restart && recreated(d),
        ),
      }),
    );
  }
  return out;
}

/** What later services wait on: a service's own nodes, or its dependencies' when it has none. */
interface Emitted {
  /** Its containers exist under their final names. */
  settled: string[];
  /** And are started. */
  started: string[];
  /** Final container name → its start node, if the plan starts it. */
  startOf: Map<string, string>;
  decision: ServiceDecision;
}

interface EmitContext {
  /** Networks, volumes and the image its containers need. */
  before: string[];
  opts: UpPlanOptions;
  project: Project;
}

function emitService(
  b: PlanBuilder,
  s: ServiceConfig,
  decisions: Map<string, ServiceDecision>,
  emitted: Map<string, Emitted>,
  deps: string[],
  ctx: EmitContext,
): Emitted {
  const d = decisions.get(s.name) as ServiceDecision;
  const { opts } = ctx;
  const timeoutSeconds = opts.timeoutSeconds;
  const createAfter = [...ctx.before, ...deps.flatMap((t) => emitted.get(t)?.settled ?? [])];
  const settled: string[] = [];
  const toStart: { name: string; after: string[] }[] = [];

  // Dependents with `restart: true` are stopped before this service's containers are replaced,
  // and started again after them (docker compose's stopDependentContainers).
  const restartStops = !d.containers.some((c) => c.action === 'recreate')
    ? []
    : [...decisions.values()]
        .filter((other) => ctx.project.services[other.service]?.dependsOn?.[s.name]?.restart)
        .flatMap((other) =>
          other.containers
            .filter((c) => c.action === 'restart')
            .map((c) =>
              b.add({ kind: 'stop-container', service: other.service, name: c.name, timeoutSeconds }),
            ),
        );
  const stopOld = (c: ObservedContainer, after: string[]): string[] =>
    isRunning(c)
      ? [
          b.add({ kind: 'stop-container', service: s.name, name: c.name, timeoutSeconds }, [
            ...after,
            ...restartStops,
          ]),
        ]
      : after;

  for (const c of d.containers) {
    if (c.action === 'create') {
      const id = b.add(
        { kind: 'create-container', service: s.name, number: c.number, name: c.name },
        createAfter,
      );
      settled.push(id);
      toStart.push({ name: c.name, after: [id] });
    } else if (c.action === 'recreate') {
      const old = c.existing as ObservedContainer;
      const tmp = replacementName(old.id, c.name);
      const created = b.add(
        {
          kind: 'create-container',
          service: s.name,
          number: c.number,
          name: tmp,
          replaces: old.name,
          ...(opts.renewAnonVolumes ? { renewAnonVolumes: true } : {}),
        },
        createAfter,
      );
      // -V: the old container's anonymous volumes are inherited by nothing, so they go with it
      // (docker compose leaves them dangling).
      const removed = b.add(
        {
          kind: 'remove-container',
          service: s.name,
          name: old.name,
          ...(opts.renewAnonVolumes ? { volumes: true } : {}),
        },
        stopOld(old, [created]),
      );
      const renamed = b.add({ kind: 'rename-container', service: s.name, from: tmp, to: c.name }, [removed]);
      settled.push(renamed);
      toStart.push({ name: c.name, after: [renamed] });
    } else if (c.action === 'start') toStart.push({ name: c.name, after: [] });
    else if (c.action === 'restart') {
      const stop = b.add({ kind: 'stop-container', service: s.name, name: c.name, timeoutSeconds });
      toStart.push({ name: c.name, after: [stop] });
    }
  }
  for (const c of d.scaledDown)
    b.add({ kind: 'remove-container', service: s.name, name: c.name }, stopOld(c, []));

  const startOf = new Map<string, string>();
  if (opts.start && toStart.length > 0) {
    const startAfter = [...deps.flatMap((t) => emitted.get(t)?.started ?? []), ...waits(b, s, deps, emitted)];
    for (const c of toStart)
      startOf.set(
        c.name,
        b.add({ kind: 'start-container', service: s.name, name: c.name }, [...c.after, ...startAfter]),
      );
  }
  const inherited = (key: 'settled' | 'started'): string[] => [
    ...new Set(deps.flatMap((t) => emitted.get(t)?.[key] ?? [])),
  ];
  const started = startOf.size > 0 ? [...startOf.values()] : settled;
  return {
    settled: settled.length > 0 ? settled : inherited('settled'),
    started: started.length > 0 ? started : inherited('started'),
    startOf,
    decision: d,
  };
}

/**
 * The wait nodes before a service starts: each container of a dependency it names with
 * `service_healthy` or `service_completed_successfully` (`service_started` is the start order
 * itself, as in docker compose).
 */
function waits(b: PlanBuilder, s: ServiceConfig, deps: string[], emitted: Map<string, Emitted>): string[] {
  const out: string[] = [];
  for (const t of deps) {
    const dep = s.dependsOn?.[t];
    const done = emitted.get(t);
    if (!dep || !done || dep.condition === 'service_started') continue;
    for (const c of done.decision.containers) {
      const start = done.startOf.get(c.name);
      const id = b.add(
        {
          kind: 'wait-container',
          service: t,
          name: c.name,
          condition: dep.condition,
          required: dep.required,
        },
        start ? [start] : [],
      );
      // One wait serves every dependent; it is required when any of them requires it.
      const node = b.get(id);
      if (node?.op.kind === 'wait-container' && dep.required) node.op.required = true;
      out.push(id);
    }
  }
  return out;
}

/**
 * Containers of services the project no longer has (profiles' disabled ones are still its own):
 * a warning, or stopped and removed with --remove-orphans. One-off containers are `run`'s.
 */
function planOrphans(b: PlanBuilder, project: Project, observed: Observed, opts: UpPlanOptions): void {
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabled)]);
  const orphans = observed.containers
    .filter((c) => !c.oneoff && !known.has(c.service))
    .sort((x, y) => (x.name < y.name ? -1 : 1));
  if (orphans.length === 0) return;
  if (!opts.removeOrphans) {
    b.warn(
      `Found orphan containers ([${orphans.map((c) => c.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
    );
    return;
  }
  for (const c of orphans) {
    const stop = isRunning(c)
      ? [
          b.add({
            kind: 'stop-container',
            service: c.service,
            name: c.name,
            timeoutSeconds: opts.timeoutSeconds,
          }),
        ]
      : [];
    b.add({ kind: 'remove-container', service: c.service, name: c.name }, stop);
  }
}
