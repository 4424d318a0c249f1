/**
 * The part of the EngineApi that watches and holds containers: pause and unpause (the cgroup
 * freezer), stats samples and the event stream, as docker's API has them.
 */
import type { ContainerStats, StatsOptions } from './stats-types';
import type { EngineEvent } from './types';

export interface EventsOptions {
  /** Unix seconds (fractions allowed); 0 or undefined = no bound. */
  since?: number;
  until?: number;
  /** Docker's: container, event, image, label, type, scope. */
  filters?: Record<string, string[]>;
}

export interface MonitorApi {
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  /** Samples of a container (see StatsOptions); a stream ends once it stops or `signal` aborts. */
  containerStats(id: string, opts?: StatsOptions, signal?: AbortSignal): AsyncIterable<ContainerStats>;
  /** Past events (since/until), then live ones until `until` passes or `signal` aborts. */
  events(opts?: EventsOptions, signal?: AbortSignal): AsyncIterable<EngineEvent>;
}
