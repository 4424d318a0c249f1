/**
 * Collects a plan's nodes and hands them out in the one order a plan is printed and run in:
 * topological, ties broken by id, so the same inputs always give the same text (rule 9).
 */
import type { Operation, Plan, PlanNode } from './plan-types';

/** A node's id: its kind and the one resource it acts on (`create-container:demo-web-1`). */
export function nodeId(op: Operation): string {
  switch (op.kind) {
    case 'create-network':
    case 'remove-network':
    case 'create-volume':
    case 'remove-volume':
    case 'create-container':
    case 'start-container':
    case 'stop-container':
    case 'remove-container':
    case 'restart-container':
    case 'kill-container':
    case 'pause-container':
    case 'unpause-container':
      return `${op.kind}:${op.name}`;
    case 'pull-image':
    case 'remove-image':
      return `${op.kind}:${op.image}`;
    case 'rename-container':
      return `${op.kind}:${op.from}`;
    case 'wait-container':
      return `${op.kind}:${op.name}:${op.condition}`;
  }
}

export class PlanBuilder {
  private readonly nodes = new Map<string, PlanNode>();
  private readonly notes = new Set<string>();

  /** Adds the node for `op` (or returns the one already there for the same resource). */
  add(op: Operation, after: Iterable<string> = []): string {
    const id = nodeId(op);
    const known = this.nodes.get(id);
    if (known) {
      this.addAfter(id, after);
      return id;
    }
    this.nodes.set(id, { id, op, after: [] });
    this.addAfter(id, after);
    return id;
  }

  get(id: string): PlanNode | undefined {
    return this.nodes.get(id);
  }

  addAfter(id: string, after: Iterable<string>): void {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`plan: no node ${id}`);
    node.after = [...new Set([...node.after, ...after])].filter((a) => a !== id).sort();
  }

  warn(message: string): void {
    this.notes.add(message);
  }

  build(): Plan {
    for (const node of this.nodes.values())
      for (const a of node.after)
        if (!this.nodes.has(a)) throw new Error(`plan: ${node.id} after unknown ${a}`);
    return { nodes: topological([...this.nodes.values()]), warnings: [...this.notes].sort() };
  }
}

/** Kahn's algorithm taking the smallest ready id each time: one order for one DAG. */
function topological(nodes: PlanNode[]): PlanNode[] {
  const waiting = new Map(nodes.map((n) => [n.id, new Set(n.after)]));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: PlanNode[] = [];
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([id]) => id);
    if (ready.length === 0) throw new Error(`plan: cycle among ${[...waiting.keys()].sort().join(', ')}`);
    const next = ready.sort()[0];
    waiting.delete(next);
    for (const deps of waiting.values()) deps.delete(next);
    out.push(byId.get(next) as PlanNode);
  }
  return out;
}
