/** What `docker events` prints for each event: its plain line, `--format json`, or a template. */
import type { EngineEvent } from '../../engine-api/events/types';
import { goJson } from './go-format';
import { compileTemplate, type Template } from './go-template';

/** Go's time.Format with RFC3339NanoFixed, in local time: `Z` in UTC, else the offset. */
export function eventTime(
  timeNano: number,
  offsetMinutes = -new Date(timeNano / 1e6).getTimezoneOffset(),
): string {
  const ns = BigInt(Math.round(timeNano));
  const ms = Number(ns / 1_000_000n);
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  const abs = Math.abs(offsetMinutes);
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}.${fraction}${zone}`;
}

/** The event's fields in the order of docker's events.Message, the legacy ones only when set. */
function inDockerOrder(e: EngineEvent): Record<string, unknown> {
  const legacy = Object.fromEntries(
    (['status', 'id', 'from'] as const).filter((k) => e[k] !== undefined).map((k) => [k, e[k]]),
  );
  const { Type, Action, Actor, scope, time, timeNano } = e;
  return { ...legacy, Type, Action, Actor, scope, time, timeNano };
}

/** `2026-12-01T18:00:00.000000000Z container start <id> (image=busybox, name=x)` */
function plainLine(e: EngineEvent): string {
  const attrs = Object.entries(e.Actor.Attributes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  const time = e.timeNano ? eventTime(e.timeNano) : eventTime(e.time * 1e9);
  return `${time} ${e.Type} ${e.Action} ${e.Actor.ID}${attrs.length ? ` (${attrs.join(', ')})` : ''}`;
}

/** A function that prints one event (with its newline); a template is compiled once, here. */
export function eventPrinter(format?: string): (e: EngineEvent) => string {
  if (!format) return (e) => `${plainLine(e)}\n`;
  if (format === 'json') return (e) => `${goJson(inDockerOrder(e))}\n`;
  const template: Template = compileTemplate(format.replace(/\\t/g, '\t').replace(/\\n/g, '\n'));
  return (e) => `${template(inDockerOrder(e))}\n`;
}
