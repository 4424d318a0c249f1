/**
 * The one dependency graph of a project's services: what a service needs started first
 * (`depends_on`, `links`, `volumes_from` and the `service:` namespaces such as `network_mode`,
 * which compose-go's normalization folds into depends_on), the selection of services with what
 * they need, the order to start them in, and cycles named by their path. `extends` is already
 * resolved when the graph is made.
 */
import toposort from 'toposort';
import type { ServiceConfig } from './project-types';
import { isObj, type Obj } from './source';

export interface Dependency {
  service: string;
  /** Where the dependency is written, below the service (`['links', 0]`), for error locations. */
  path: (string | number)[];
  /** `depends_on: {x: {required: false}}`: a missing x is no error and no edge. */
  required: boolean;
}

const NAMESPACES = ['network_mode', 'ipc', 'pid', 'cgroup', 'uts'];

/** A service's dependencies as written, in the tree's form before or after normalization. */
export function dependenciesOf(service: Obj): Dependency[] {
  const out: Dependency[] = [];
  const deps = service.depends_on;
  if (isObj(deps)) {
    for (const [name, d] of Object.entries(deps))
      out.push({ service: name, path: ['depends_on', name], required: !(isObj(d) && d.required === false) });
  } else if (Array.isArray(deps)) {
    deps.forEach((d, i) => out.push({ service: String(d), path: ['depends_on', i], required: true }));
  }
  for (const key of NAMESPACES) {
    const v = service[key];
    if (typeof v === 'string' && v.startsWith('service:'))
      out.push({ service: v.slice('service:'.length), path: [key], required: true });
  }
  const list = (key: string): unknown[] => (Array.isArray(service[key]) ? (service[key] as unknown[]) : []);
  list('links').forEach((l, i) =>
    out.push({ service: String(l).split(':')[0], path: ['links', i], required: true }),
  );
  list('volumes_from').forEach((v, i) => {
    const s = String(v);
    if (!s.startsWith('container:'))
      out.push({ service: s.split(':')[0], path: ['volumes_from', i], required: true });
  });
  return out;
}

export class DependencyCycleError extends Error {
  /** The services of the cycle, the first repeated at the end (`a -> b -> a`). */
  readonly cycle: string[];
  /** The edge that closes the cycle: the last service of the path and how it names the first. */
  readonly edge: { from: string; dependency: Dependency };

  constructor(cycle: string[], edge: { from: string; dependency: Dependency }) {
    super(`dependency cycle detected: ${cycle.join(' -> ')}`);
    this.cycle = cycle;
    this.edge = edge;
  }
}

/** The graph of a typed project's services (the planner's side: it holds no tree). */
export function projectGraph(services: Record<string, ServiceConfig>): DependencyGraph {
  const tree: Record<string, Obj> = {};
  for (const [name, s] of Object.entries(services))
    tree[name] = {
      depends_on: s.dependsOn,
      links: s.links,
      volumes_from: s.volumesFrom,
      network_mode: s.networkMode,
      ipc: s.ipc,
      pid: s.pid,
      cgroup: s.cgroup,
      uts: s.uts,
    };
  return new DependencyGraph(tree);
}

export class DependencyGraph {
  /** Edges to services of the project only, each once, sorted. */
  private readonly deps = new Map<string, Dependency[]>();
  private readonly needed = new Map<string, string[]>();
  private readonly names: string[];

  constructor(services: Record<string, unknown>) {
    this.names = Object.keys(services).sort();
    for (const name of this.names) {
      const s = services[name];
      const seen = new Set<string>();
      const own = (isObj(s) ? dependenciesOf(s) : []).filter((d) => {
        if (!(d.service in services) || seen.has(d.service)) return false;
        seen.add(d.service);
        return true;
      });
      this.deps.set(
        name,
        own.sort((a, b) => (a.service < b.service ? -1 : 1)),
      );
      this.needed.set(name, []);
    }
    for (const name of this.names) for (const d of this.dependencies(name)) this.needed.get(d)?.push(name);
  }

  get services(): string[] {
    return [...this.names];
  }

  /** The services `name` needs started first, directly. */
  dependencies(name: string): string[] {
    return (this.deps.get(name) ?? []).map((d) => d.service);
  }

  /** The services that need `name` directly. */
  dependents(name: string): string[] {
    return [...(this.needed.get(name) ?? [])];
  }

  /** `names` and everything they need, transitively, sorted (`up web` starts web's database). */
  withDependencies(names: readonly string[]): string[] {
    const out = new Set<string>();
    const visit = (n: string): void => {
      if (out.has(n)) return;
      out.add(n);
      for (const d of this.dependencies(n)) visit(d);
    };
    for (const n of names) visit(n);
    return [...out].sort();
  }

  /** `names` and everything that needs them, transitively, sorted (what stops with them). */
  withDependents(names: readonly string[]): string[] {
    const out = new Set<string>();
    const visit = (n: string): void => {
      if (out.has(n)) return;
      out.add(n);
      for (const d of this.dependents(n)) visit(d);
    };
    for (const n of names) visit(n);
    return [...out].sort();
  }

  /** The first cycle met walking the services by name, or undefined. */
  findCycle(): DependencyCycleError | undefined {
    const done = new Set<string>();
    const stack: string[] = [];
    const visit = (n: string): DependencyCycleError | undefined => {
      if (done.has(n)) return undefined;
      stack.push(n);
      for (const d of this.deps.get(n) ?? []) {
        const i = stack.indexOf(d.service);
        if (i >= 0)
          return new DependencyCycleError([...stack.slice(i), d.service], { from: n, dependency: d });
        const found = visit(d.service);
        if (found) return found;
      }
      stack.pop();
      done.add(n);
      return undefined;
    };
    for (const n of this.names) {
      const found = visit(n);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * `names` (all services by default) in the order to start them: every service after what it
   * needs; stopping goes in the reverse order. Throws the cycle when there is one.
   */
  order(names: readonly string[] = this.names): string[] {
    const cycle = this.findCycle();
    if (cycle) throw cycle;
    const wanted = new Set(names);
    const nodes = this.names.filter((n) => wanted.has(n));
    const edges: [string, string][] = [];
    for (const n of nodes) for (const d of this.dependencies(n)) if (wanted.has(d)) edges.push([d, n]);
    return toposort.array(nodes, edges);
  }
}
