/**
 * What `ps` prints, as docker compose v2 prints it (`cmd/formatter/container.go`): the table
 * NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS, `json` as one object a line with its fields
 * in Go's (sorted) order, or a Go template over the same fields; `-q` full ids, `--services` the
 * services once each.
 */
import { humanDuration } from '../../common/human-duration';
import type { PsEntry } from '../../compose/ps';
import { LABEL } from '../../compose/labels';
import { displayablePorts } from '../container/display-ports';
import { ellipsis, goJson, goQuote, goTimeString } from '../format/go-format';
import { renderListing, shortId, type Context, type Listing } from '../format/listing';

export interface PsRenderOptions {
  /** Milliseconds now: CREATED is relative to it. */
  now: number;
  format?: string;
  noTrunc?: boolean;
  quiet?: boolean;
  services?: boolean;
  timeZone?: string;
}

/** docker compose's PortPublisher. */
export interface Publisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

const PS_LISTING: Listing = {
  table: '{{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}',
  headers: {
    ID: 'CONTAINER ID',
    Name: 'NAME',
    Names: 'NAMES',
    Project: 'PROJECT',
    Service: 'SERVICE',
    Image: 'IMAGE',
    Command: 'COMMAND',
    CreatedAt: 'CREATED AT',
    RunningFor: 'CREATED',
    Ports: 'PORTS',
    State: 'STATE',
    Status: 'STATUS',
    Health: 'HEALTH',
    ExitCode: 'EXIT CODE',
    Size: 'SIZE',
    Labels: 'LABELS',
    Mounts: 'MOUNTS',
    LocalVolumes: 'LOCAL VOLUMES',
    Networks: 'NETWORKS',
  },
};

/** The first name that is not a link's (`/web/db`), without its `/` (getCanonicalContainerName). */
function canonicalName(names: string[]): string {
  const own = names.find((n) => n.lastIndexOf('/') === 0) ?? names[0] ?? '';
  return own.replace(/^\//, '');
}

/** Ports sorted by the container's port, as docker compose's Ps lists them. */
export function publishers(e: PsEntry): Publisher[] {
  return [...(e.container.Ports ?? [])]
    .sort((a, b) => a.PrivatePort - b.PrivatePort)
    .map((p) => ({
      URL: p.IP ?? '',
      TargetPort: p.PrivatePort,
      PublishedPort: p.PublicPort ?? 0,
      Protocol: p.Type,
    }));
}

/** The fields `--format` sees, as strings (ExitCode and Publishers get their JSON types in `json`). */
export function psContext(e: PsEntry, o: PsRenderOptions): Context {
  const c = e.container;
  const trunc = !o.noTrunc;
  const mounts = c.Mounts ?? [];
  return {
    Command: goQuote(trunc ? ellipsis(c.Command, 20) : c.Command),
    // Worked out when a format shows it: Intl's time zones cost ~10 ms at first use; the table shows none.
    get CreatedAt() {
      return goTimeString(c.Created, o.timeZone);
    },
    ExitCode: String(e.exitCode),
    Health: e.health,
    ID: trunc ? shortId(c.Id) : c.Id,
    Image: c.Image,
    Labels: Object.entries(c.Labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(','),
    LocalVolumes: String(mounts.filter((m) => m.Driver === 'local').length),
    Mounts: mounts.map((m) => m.Name || m.Source).join(','),
    Name: canonicalName(c.Names),
    Names: c.Names.map((n) => n.replace(/^\//, '')).join(','),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {})
      .sort()
      .join(','),
    Ports: displayablePorts(
      publishers(e).map((p) => ({
        IP: p.URL || undefined,
        PrivatePort: p.TargetPort,
        PublicPort: p.PublishedPort || undefined,
        Type: p.Protocol,
      })),
    ),
    Project: c.Labels?.[LABEL.project] ?? '',
    // As Go prints the slice in a template: `[{0.0.0.0 80 8080 tcp}]`.
    Publishers: `[${publishers(e)
      .map((p) => `{${p.URL} ${p.TargetPort} ${p.PublishedPort} ${p.Protocol}}`)
      .join(' ')}]`,
    RunningFor: `${humanDuration(o.now - c.Created * 1000)} ago`,
    Service: c.Labels?.[LABEL.service] ?? '',
    Size: '0B',
    State: c.State,
    Status: c.Status,
  };
}

/** One JSON object: Go's json of a map, so keys sorted; ExitCode a number, Publishers an array. */
function psJson(e: PsEntry, o: PsRenderOptions): string {
  const ctx = psContext(e, o);
  const typed: Record<string, unknown> = { ExitCode: e.exitCode, Publishers: publishers(e) };
  const keys = Object.keys(ctx).sort();
  return goJson(Object.fromEntries(keys.map((k) => [k, k in typed ? typed[k] : ctx[k]])));
}

export function renderPs(entries: readonly PsEntry[], o: PsRenderOptions): string {
  if (o.services) {
    const services = [...new Set(entries.map((e) => e.container.Labels?.[LABEL.service] ?? ''))];
    // docker compose prints the joined names with Println: an empty line when there are none.
    return `${services.join('\n')}\n`;
  }
  if (o.quiet) return entries.map((e) => `${e.container.Id}\n`).join('');
  if (o.format === 'json') return entries.map((e) => `${psJson(e, o)}\n`).join('');
  return renderListing(
    entries.map((e) => psContext(e, o)),
    o.format,
    PS_LISTING,
  );
}
