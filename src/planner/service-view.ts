/**
 * The services a verb works on and how they depend on each other, from the compose files when
 * they are around, else from the containers' labels alone (`stop -p NAME` anywhere), as docker
 * compose's projectFromName rebuilds a project of its containers.
 */
import { DependencyGraph, projectGraph } from '../compose-model/graph';
import type { DependencyConfig } from '../compose-model/project-types';
import type { Project } from '../compose-model/types';
import { LABEL } from './labels';
import type { ObservedContainer } from './observed';

export interface ServiceView {
  graph: DependencyGraph;
  /** What a verb without service operands works on: the enabled services (files) or all found. */
  defaults: string[];
  /** A service's depends_on entries, by dependency. */
  dependsOn(service: string): Record<string, DependencyConfig>;
  /** Scaled to 0 in the files: no container is no error (`start`). */
  scaledToZero(service: string): boolean;
}

export function serviceView(project: Project | undefined, containers: ObservedContainer[]): ServiceView {
  if (project) {
    // Services disabled by profiles are the project's too: naming one enables it.
    const all = { ...project.disabled, ...project.services };
    return {
      graph: projectGraph(all),
      defaults: Object.keys(project.services).sort(),
      dependsOn: (s) => all[s]?.dependsOn ?? {},
      scaledToZero: (s) => (all[s]?.scale ?? all[s]?.deploy?.replicas) === 0,
    };
  }
  const deps = labelDependencies(containers);
  const graph = labelGraph(deps);
  return { graph, defaults: graph.services, dependsOn: (s) => deps[s] ?? {}, scaledToZero: () => false };
}

/**
 * The `com.docker.compose.depends_on` labels, `service:condition:restart` entries joined with
 * commas, by service (the first container of a service that has the label tells).
 */
export function labelDependencies(
  containers: ObservedContainer[],
): Record<string, Record<string, DependencyConfig>> {
  const out: Record<string, Record<string, DependencyConfig>> = {};
  for (const c of containers) {
    if (out[c.service]) continue;
    const deps: Record<string, DependencyConfig> = {};
    for (const entry of (c.labels[LABEL.dependsOn] ?? '').split(',')) {
      const [dep, condition, restart] = entry.split(':');
      if (!dep) continue;
      deps[dep] = {
        condition: CONDITIONS.includes(condition as never)
          ? (condition as DependencyConfig['condition'])
          : 'service_started',
        restart: restart === 'true',
        required: true,
      };
    }
    out[c.service] = deps;
  }
  return out;
}

const CONDITIONS: DependencyConfig['condition'][] = [
  'service_started',
  'service_healthy',
  'service_completed_successfully',
];

/**
 * The graph of the labels' services. Labels are whatever is on the engine: a cycle among them
 * orders nothing rather than failing.
 */
export function labelGraph(deps: Record<string, Record<string, DependencyConfig>>): DependencyGraph {
  const services = Object.fromEntries(Object.entries(deps).map(([s, d]) => [s, { depends_on: { ...d } }]));
  const graph = new DependencyGraph(services);
  if (!graph.findCycle()) return graph;
  return new DependencyGraph(Object.fromEntries(Object.keys(services).map((s) => [s, {}])));
}
