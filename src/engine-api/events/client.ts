/** EventsApi over HTTP: `GET /events`, one JSON object a line. */
import type { Query, Transport } from '../transport';
import type { EventsApi, EventsOptions } from './api';
import type { EngineEvent } from './types';

export function eventsClient(t: Transport): EventsApi {
  return {
    events(opts: EventsOptions = {}, signal?: AbortSignal): AsyncIterable<EngineEvent> {
      const filters =
        opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
      const query: Query = [
        ['since', opts.since || undefined],
        ['until', opts.until || undefined],
        ['filters', filters],
      ];
      return t.jsonStream('GET', '/events', { query, signal });
    },
  };
}
