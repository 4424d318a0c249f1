/**
 * The order a plan takes services in, from the project's one dependency graph: `up` of some
 * services starts them with what they need, each after its dependencies; `stop`/`down` of some
 * services also stops what needs them, each before its dependencies (docker compose's
 * InDependencyOrder with the root nodes and InReverseDependencyOrder with the dependents).
 */
import type { DependencyGraph } from '../compose-model/graph';

export function startOrder(graph: DependencyGraph, selected: readonly string[] = graph.services): string[] {
  return graph.order(graph.withDependencies(selected));
}

export function stopOrder(graph: DependencyGraph, selected: readonly string[] = graph.services): string[] {
  return graph.order(graph.withDependents(selected)).reverse();
}
