/** The engine's event stream, as docker's `GET /events`. */
import type { EngineEvent } from './types';

export interface EventsOptions {
  /** Unix seconds (fractions allowed); 0 or undefined = no bound. */
  since?: number;
  until?: number;
  /** Docker's: container, event, image, label, type, scope. */
  filters?: Record<string, string[]>;
}

export interface EventsApi {
  /** Past events (since/until), then live ones until `until` passes or `signal` aborts. */
  events(opts?: EventsOptions, signal?: AbortSignal): AsyncIterable<EngineEvent>;
}
