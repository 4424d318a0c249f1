/**
 * A plan as text, one line per node in the plan's order, then its warnings: what `up --dry-run`
 * prints and what the golden tests compare. An empty plan is an empty string.
 */
import type { Operation, Plan } from './plan-types';

export function formatPlan(plan: Plan): string {
  const lines = plan.nodes.map((n) => {
    const after = n.after.length > 0 ? ` (after: ${n.after.map(readableId).join(', ')})` : '';
    return `${describe(n.op)}${after}`;
  });
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** `create-network:demo_default` → `create-network demo_default`. */
function readableId(id: string): string {
  return id.replace(':', ' ');
}

function describe(op: Operation): string {
  switch (op.kind) {
    case 'create-network':
    case 'create-volume':
      return `${op.kind} ${op.name}`;
    case 'remove-network':
    case 'remove-volume':
      return `${op.kind} ${op.name}`;
    case 'pull-image':
    case 'remove-image':
      return `${op.kind} ${op.image}`;
    case 'create-container': {
      const extra = [
        ...(op.replaces ? [`replaces ${op.replaces}`] : []),
        ...(op.renewAnonVolumes ? ['renew anonymous volumes'] : []),
      ];
      return `${op.kind} ${op.name}${extra.length > 0 ? ` [${extra.join(', ')}]` : ''}`;
    }
    case 'start-container':
      return `${op.kind} ${op.name}`;
    case 'stop-container':
      return `${op.kind} ${op.name}${op.timeoutSeconds !== undefined ? ` [timeout ${op.timeoutSeconds}s]` : ''}`;
    case 'remove-container':
      return `${op.kind} ${op.name}${op.volumes ? ' [with volumes]' : ''}`;
    case 'rename-container':
      return `${op.kind} ${op.from} -> ${op.to}`;
    case 'wait-container':
      return `${op.kind} ${op.name} ${op.condition}${op.required ? '' : ' [not required]'}`;
    case 'restart-container':
      return `${op.kind} ${op.name}${op.timeoutSeconds !== undefined ? ` [timeout ${op.timeoutSeconds}s]` : ''}`;
    case 'kill-container':
      return `${op.kind} ${op.name} [${op.signal}]`;
    case 'pause-container':
    case 'unpause-container':
      return `${op.kind} ${op.name}`;
  }
}
