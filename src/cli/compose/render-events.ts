/**
 * The project's events as docker compose's `events` prints them (`cmd/compose/events.go`):
 * `--json` marshals a Go map, so the keys come sorted and the time is Go's RFC 3339 with
 * nanoseconds (trailing zeros dropped) in local time; the plain line is api.Event's String():
 * `2026-12-03 07:00:00.123456 container start <id> (image=busybox, name=demo-web-1)`, its
 * attributes sorted here (Go's map order is random).
 */
import type { ComposeEvent } from '../../compose/project-events';
import { goJson } from '../format/go-format';
import { eventTime } from '../format/render-events';

/** Go's time.Time MarshalJSON (RFC3339Nano): docker's fixed nine digits without their trailing zeros. */
export function goJsonTime(timeNano: number, offsetMinutes?: number): string {
  return eventTime(timeNano, offsetMinutes).replace(/\.?0+(?=(Z|[+-]\d\d:\d\d)$)/, '');
}

const sorted = (attrs: Record<string, string>): [string, string][] =>
  Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function composeEventJson(e: ComposeEvent, offsetMinutes?: number): string {
  return goJson({
    action: e.action,
    attributes: Object.fromEntries(sorted(e.attributes)),
    id: e.container,
    service: e.service,
    time: goJsonTime(e.timeNano, offsetMinutes),
    type: 'container',
  });
}

/** Go's `2006-01-02 15:04:05.000000` layout, in local time. */
export function composeEventLine(e: ComposeEvent, offsetMinutes?: number): string {
  const t = eventTime(e.timeNano, offsetMinutes);
  const attrs = sorted(e.attributes).map(([k, v]) => `${k}=${v}`);
  return `${t.slice(0, 10)} ${t.slice(11, 26)} container ${e.action} ${e.container} (${attrs.join(', ')})`;
}
