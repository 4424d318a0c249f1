/** What `container ls` and `top` print, as docker prints it. */
import type { ContainerSummary, ContainerTopResponse } from '../../engine-api/container/types';
import { humanDuration } from '../../common/human-duration';
import { familiarName, parseReference } from '../../common/image-reference';
import { renderListing, shortId, type Context, type Listing, type ListOptions } from '../format/listing';
import { ellipsis, goQuote, goTimeString } from '../format/go-format';
import { tabulate } from '../format/tabwriter';
import { displayablePorts } from './display-ports';

const CONTAINER_LISTING: Listing = {
  table: '{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
  headers: {
    ID: 'CONTAINER ID',
    Image: 'IMAGE',
    Command: 'COMMAND',
    CreatedAt: 'CREATED AT',
    RunningFor: 'CREATED',
    Ports: 'PORTS',
    State: 'STATE',
    Status: 'STATUS',
    Size: 'SIZE',
    Names: 'NAMES',
    Labels: 'LABELS',
    Mounts: 'MOUNTS',
    Networks: 'NETWORKS',
    LocalVolumes: 'LOCAL VOLUMES',
  },
};

/** The image as docker shows it: an id shortened, a digest dropped, a name in its familiar form. */
function displayImage(c: ContainerSummary, trunc: boolean): string {
  if (!c.Image) return '<no image>';
  if (!trunc) return c.Image;
  if (c.ImageID && shortId(c.ImageID) === shortId(c.Image)) return shortId(c.Image);
  try {
    const name = c.Image.split('@')[0];
    const tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
    const ref = parseReference(c.Image);
    return familiarName({ ...ref, digest: undefined, tag: tagged ? ref.tag : undefined });
  } catch {
    return c.Image;
  }
}

/** Names without the leading `/`; truncated, the first that is not a link's (`/web/db`). */
function displayNames(names: string[], trunc: boolean): string {
  const stripped = names.map((n) => n.replace(/^\//, ''));
  const own = trunc ? stripped.find((n) => !n.includes('/')) : undefined;
  return own !== undefined ? own : stripped.join(',');
}

export function containerContext(c: ContainerSummary, o: ListOptions): Context {
  const trunc = !o.noTrunc;
  return {
    Command: goQuote(trunc ? ellipsis(c.Command, 20) : c.Command),
    // Worked out when a format shows it: Intl's time zones cost ~10 ms at first use; `ls` shows none.
    get CreatedAt() {
      return goTimeString(c.Created, o.timeZone);
    },
    ID: trunc ? shortId(c.Id) : c.Id,
    Image: displayImage(c, trunc),
    Labels: Object.entries(c.Labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(','),
    LocalVolumes: String((c.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Driver === 'local').length),
    Mounts: (c.Mounts ?? [])
      .map((m) => (trunc ? ellipsis(m.Name || m.Source, 15) : m.Name || m.Source))
      .join(','),
    Names: displayNames(c.Names, trunc),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {})
      .sort()
      .join(','),
    Ports: displayablePorts(c.Ports ?? []),
    RunningFor: `${humanDuration(o.now - c.Created * 1000)} ago`,
    Size: '0B',
    State: c.State,
    Status: c.Status,
  };
}

export function renderContainerList(list: ContainerSummary[], o: ListOptions): string {
  if (o.quiet) return list.map((c) => `${o.noTrunc ? c.Id : shortId(c.Id)}\n`).join('');
  return renderListing(
    list.map((c) => containerContext(c, o)),
    o.format,
    CONTAINER_LISTING,
  );
}

/** `docker top`: the engine's ps columns, tabulated as docker does (minimum width 20). */
export function renderTop(top: ContainerTopResponse): string {
  return tabulate([top.Titles, ...top.Processes], { minWidth: 20, padding: 3 });
}
