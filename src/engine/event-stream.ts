/**
 * GET /events as dockerd answers it: past events between `since` and `until` from the bus's
 * history, then live ones until `until` (or forever), each through docker's filters (keys
 * AND-ed, values of one key OR-ed; labels AND-ed).
 */
import type { EventsApi, EventsOptions } from '../engine-api/events/api';
import type { EngineEvent } from '../engine-api/events/types';
import { InvalidArgumentError } from '../common/errors';
import type { EventBus } from './events';

const FILTER_KEYS = new Set(['container', 'event', 'image', 'label', 'type', 'scope', 'network', 'volume']);
/** Actions with a detail after a colon that a filter may name without it (moby #25798). */
const PREFIX_ACTIONS = ['health_status', 'exec_create', 'exec_start'];

/** `busybox:latest` → `busybox`; a digest goes too. */
function stripTag(ref: string): string {
  const name = ref.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

export function eventMatches(e: EngineEvent, filters: Record<string, string[]> = {}): boolean {
  const attrs = e.Actor.Attributes;
  const any = (key: string, test: (v: string) => boolean): boolean => {
    const values = filters[key];
    return !values || values.length === 0 || values.some(test);
  };
  const prefixed = (filters.event ?? []).some((v) => PREFIX_ACTIONS.includes(v));
  const imageName = (e.Type === 'image' ? attrs.name : attrs.image) ?? '';
  const images = [e.Actor.ID, imageName, stripTag(e.Actor.ID), stripTag(imageName)];
  return (
    any('event', (v) => (prefixed ? e.Action.startsWith(v) : e.Action === v)) &&
    any('type', (v) => e.Type === v) &&
    any('scope', (v) => e.scope === v) &&
    any('container', (v) => e.Actor.ID.startsWith(v) || (attrs.name ?? '').startsWith(v)) &&
    any('image', (v) => images.includes(v)) &&
    // moby's fuzzyMatchName: the id or the name starts with the value, whatever the event's type.
    any('network', (v) => e.Actor.ID.startsWith(v) || (attrs.name ?? '').startsWith(v)) &&
    any('volume', (v) => e.Actor.ID.startsWith(v) || (attrs.name ?? '').startsWith(v)) &&
    (filters.label ?? []).every((v) => {
      const eq = v.indexOf('=');
      return eq < 0 ? v in attrs : attrs[v.slice(0, eq)] === v.slice(eq + 1);
    })
  );
}

const toNs = (seconds: number): number => Math.round(seconds * 1e9);

export async function* streamEvents(
  bus: EventBus,
  opts: EventsOptions,
  signal?: AbortSignal,
): AsyncGenerator<EngineEvent> {
  for (const key of Object.keys(opts.filters ?? {}))
    if (!FILTER_KEYS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  const sinceNs = opts.since ? toNs(opts.since) : undefined;
  const untilNs = opts.until ? toNs(opts.until) : undefined;
  if (sinceNs !== undefined && untilNs !== undefined && untilNs < sinceNs)
    throw new InvalidArgumentError(
      `\`since\` time (${opts.since}) cannot be after \`until\` time (${opts.until})`,
    );
  const queue: EngineEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  const end = (): void => {
    ended = true;
    poke();
  };
  // Either bound asks for the past: `until` alone replays everything before it, as dockerd does.
  const replayFrom = sinceNs ?? (untilNs !== undefined ? 0 : undefined);
  const unsubscribe = bus.subscribe((e) => {
    if ((untilNs === undefined || e.timeNano <= untilNs) && eventMatches(e, opts.filters)) queue.push(e);
    poke();
  }, replayFrom);
  const untilMs = untilNs === undefined ? undefined : untilNs / 1e6 - Date.now();
  const timer = untilMs === undefined ? undefined : setTimeout(end, Math.max(0, untilMs));
  signal?.addEventListener('abort', end, { once: true });
  try {
    for (;;) {
      while (queue.length) yield queue.shift() as EngineEvent;
      if (ended || signal?.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    unsubscribe();
    clearTimeout(timer);
    signal?.removeEventListener('abort', end);
  }
}

/** The events part of the Engine API over the engine's bus. */
export function eventsApi(bus: EventBus): EventsApi {
  return { events: (o = {}, signal) => streamEvents(bus, o, signal) };
}
