/**
 * What `images` prints, as docker compose prints it (`cmd/compose/images.go`): the table
 * CONTAINER REPOSITORY TAG PLATFORM IMAGE ID SIZE CREATED (its tabwriter: cells at least 20 wide,
 * 3 apart), `json` as one array of docker compose's fields, `-q` each image id once, without its
 * algorithm.
 */
import { InvalidArgumentError } from '../../common/errors';
import { humanDuration } from '../../common/human-duration';
import type { ContainerImage } from '../../compose/images';
import { humanSize } from '../format/go-format';
import { shortId } from '../format/listing';
import { tabulate } from '../format/tabwriter';

export interface ImagesRenderOptions {
  format: string;
  quiet?: boolean;
  /** Milliseconds now: CREATED is relative to it. */
  now: number;
}

/** docker compose's formatter.Print: table (pretty, '') or json; any other format is refused. */
export function checkTableOrJson(format: string): 'table' | 'json' {
  const f = format.toLowerCase();
  if (f === 'json') return 'json';
  if (f === 'table' || f === 'pretty' || f === '') return 'table';
  throw new InvalidArgumentError(`format value "${format}" could not be parsed: parsing failed`);
}

/** docker compose's tabwriter.NewWriter(out, 20, 1, 3, ' ', 0). */
export function composeTable(rows: string[][]): string {
  return tabulate(rows, { minWidth: 20, padding: 3 });
}

export function renderImages(images: readonly ContainerImage[], o: ImagesRenderOptions): string {
  if (o.quiet) {
    const ids = [...new Set(images.map((i) => i.id.slice(i.id.indexOf(':') + 1)))];
    return ids.map((id) => `${id}\n`).join('');
  }
  if (checkTableOrJson(o.format) === 'json') {
    const list = images.map((i) => ({
      ID: i.id,
      ContainerName: i.container,
      Repository: i.repository,
      Tag: i.tag,
      Platform: i.platform,
      Size: i.size,
      ...(i.created ? { Created: i.created } : {}),
    }));
    return `${JSON.stringify(list)}\n`;
  }
  const rows = images.map((i) => {
    const created = i.created ? Date.parse(i.created) : NaN;
    return [
      i.container,
      i.repository || '<none>',
      i.tag || '<none>',
      i.platform,
      shortId(i.id),
      humanSize(i.size),
      Number.isNaN(created) ? 'N/A' : `${humanDuration(o.now - created)} ago`,
    ];
  });
  return composeTable([
    ['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED'],
    ...rows,
  ]);
}
