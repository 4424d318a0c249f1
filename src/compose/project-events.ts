/**
 * The project's events (docker compose's `pkg/compose/events.go`): the engine's container events
 * of the project's label, one-offs left out, the services' only when some are named, and the
 * attributes without compose's own labels.
 */
import type { EngineApi } from '../engine-api/engine-api';
import { LABEL } from '../planner/labels';

/** docker compose's api.Event. */
export interface ComposeEvent {
  /** Nanoseconds since the epoch. */
  timeNano: number;
  service: string;
  /** The container's id. */
  container: string;
  /** The engine's action: create, start, die, kill, stop, restart, pause, destroy… */
  action: string;
  attributes: Record<string, string>;
}

export interface ProjectEventsOptions {
  services: string[];
  /** Unix seconds. */
  since?: number;
  until?: number;
}

export async function* projectEvents(
  engine: EngineApi,
  name: string,
  opts: ProjectEventsOptions,
  signal?: AbortSignal,
): AsyncIterable<ComposeEvent> {
  const services = new Set(opts.services);
  const stream = engine.events(
    {
      since: opts.since,
      until: opts.until,
      filters: { label: [`${LABEL.project}=${name}`], type: ['container'] },
    },
    signal,
  );
  for await (const e of stream) {
    const a = e.Actor.Attributes;
    if (e.Type !== 'container' || a[LABEL.oneoff] === 'True') continue;
    const service = a[LABEL.service] ?? '';
    if (services.size > 0 && !services.has(service)) continue;
    yield {
      timeNano: e.timeNano || e.time * 1e9,
      service,
      container: e.Actor.ID,
      action: e.Action,
      attributes: Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith('com.docker.compose.'))),
    };
  }
}
