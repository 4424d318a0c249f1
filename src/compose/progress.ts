/**
 * What the compose service says while it applies a plan: one event per state change of a
 * resource, as docker compose's progress events (`pkg/api/event.go`). The service only emits;
 * the CLI chooses how to draw them (a listr2 tree on a terminal, plain lines, JSON lines or
 * nothing), so the service never knows whether a terminal is there.
 */

/** docker compose's status words, the ones tscompose's lifecycle reaches. */
export type ProgressStatus =
  | 'Creating'
  | 'Created'
  | 'Starting'
  | 'Started'
  | 'Waiting'
  | 'Healthy'
  | 'Exited'
  | 'Stopping'
  | 'Stopped'
  | 'Removing'
  | 'Removed'
  | 'Recreate'
  | 'Recreated'
  | 'Pulling'
  | 'Pulled'
  | 'Running'
  | 'Error'
  | 'Warning'
  | 'Skipped'
  | 'Pushing'
  | 'Pushed'
  | 'Restarting'
  | 'Killing'
  | 'Killed'
  | 'Paused'
  | 'Unpaused';

export interface ProgressEvent {
  /** The resource, as docker compose names it: `Container demo-web-1`, `Network demo_default`. */
  id: string;
  status: ProgressStatus;
  /** Details after the status word: an error's message, a reason, a pull's figures. */
  text?: string;
  /** The resource's step is over (docker compose's Done, Warning or Error); false while working. */
  done: boolean;
  /** The step failed; `done` is true as well. */
  error?: boolean;
}

/**
 * Where the service writes its events. `done()` ends the operation: renderers that redraw the
 * screen draw their last frame and give the terminal back, so await it before writing anything
 * else (container logs, a summary) to the same terminal.
 */
export interface ProgressSink {
  emit(event: ProgressEvent): void;
  done(): Promise<void>;
}

export type ResourceKind = 'Container' | 'Network' | 'Volume' | 'Image';

/** docker compose's resource id: the kind, a space, the name (`Volume demo_data`). */
export function resourceId(kind: ResourceKind, name: string): string {
  return `${kind} ${name}`;
}

/** The statuses that end a step (docker compose's `Done` events); the others are `Working`. */
const DONE: ReadonlySet<ProgressStatus> = new Set<ProgressStatus>([
  'Created',
  'Started',
  'Healthy',
  'Exited',
  'Stopped',
  'Removed',
  'Recreated',
  'Pulled',
  'Running',
  'Error',
  'Warning',
  'Skipped',
  'Pushed',
  'Killed',
  'Paused',
  'Unpaused',
]);

/** The event for a status word, with `done` and `error` as docker compose's constructors set them. */
export function progressEvent(id: string, status: ProgressStatus, text?: string): ProgressEvent {
  const event: ProgressEvent = { id, status, done: DONE.has(status) };
  if (text !== undefined && text !== '') event.text = text;
  if (status === 'Error') event.error = true;
  return event;
}

/** A sink that drops everything: for callers that want no progress (`--progress quiet`). */
export const silentSink: ProgressSink = {
  emit: () => undefined,
  done: () => Promise.resolve(),
};

/** A sink that keeps the events, in order: for tests of what the service emits. */
export function recordingSink(): ProgressSink & { events: ProgressEvent[]; finished: boolean } {
  const sink = {
    events: [] as ProgressEvent[],
    finished: false,
    emit(event: ProgressEvent): void {
      sink.events.push(event);
    },
    done(): Promise<void> {
      sink.finished = true;
      return Promise.resolve();
    },
  };
  return sink;
}
