/**
 * The progress lines of plan nodes, in docker compose's words (`Container demo-web-1  Created`):
 * the resource each node acts on, what it says while it works and once it is through.
 */
import type { Operation } from '../planner/plan-types';

export interface NodeWords {
  id: string;
  /** Absent: the step shows only once through, as docker compose's pause. */
  working?: string;
  /** The status once through; a wait says what it saw (see apply-wait). */
  done: string;
  /** False when a later node ends the line (a recreate's create, ended by its rename). */
  final: boolean;
}

const container = (name: string): string => `Container ${name}`;

export function wordsFor(op: Operation): NodeWords {
  switch (op.kind) {
    case 'create-network':
      return { id: `Network ${op.name}`, working: 'Creating', done: 'Created', final: true };
    case 'remove-network':
      return { id: `Network ${op.name}`, working: 'Removing', done: 'Removed', final: true };
    case 'create-volume':
      return { id: `Volume ${op.name}`, working: 'Creating', done: 'Created', final: true };
    case 'remove-volume':
      return { id: `Volume ${op.name}`, working: 'Removing', done: 'Removed', final: true };
    case 'pull-image':
      return { id: `Image ${op.image}`, working: 'Pulling', done: 'Pulled', final: true };
    case 'remove-image':
      return { id: `Image ${op.image}`, working: 'Removing', done: 'Removed', final: true };
    case 'create-container':
      // A recreate is one line under the old name from the create to the rename, as docker compose's.
      return op.replaces
        ? { id: container(op.replaces), working: 'Recreate', done: 'Recreate', final: false }
        : { id: container(op.name), working: 'Creating', done: 'Created', final: true };
    case 'rename-container':
      return { id: container(op.to), working: 'Recreate', done: 'Recreated', final: true };
    case 'start-container':
      return { id: container(op.name), working: 'Starting', done: 'Started', final: true };
    case 'stop-container':
      return { id: container(op.name), working: 'Stopping', done: 'Stopped', final: true };
    case 'remove-container':
      return { id: container(op.name), working: 'Removing', done: 'Removed', final: true };
    case 'wait-container':
      return { id: container(op.name), working: 'Waiting', done: 'Started', final: true };
    // docker compose's restart says Restarting, then Started; pause and unpause only their end.
    case 'restart-container':
      return { id: container(op.name), working: 'Restarting', done: 'Started', final: true };
    case 'kill-container':
      return { id: container(op.name), working: 'Killing', done: 'Killed', final: true };
    case 'pause-container':
      return { id: container(op.name), done: 'Paused', final: true };
    case 'unpause-container':
      return { id: container(op.name), done: 'Unpaused', final: true };
  }
}
