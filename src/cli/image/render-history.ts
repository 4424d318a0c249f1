/**
 * What `image history` prints, as `docker history` prints it (cli/command/image/formatter_history.go):
 * newest first, IDs and instructions truncated unless --no-trunc, human times and sizes unless
 * `-H=false` (then RFC 3339 and bytes).
 */
import type { ImageHistoryItem } from '../../engine-api/image/api';
import { humanDuration } from '../../common/human-duration';
import { renderListing, shortId, type Context, type Listing } from '../format/listing';
import { ellipsis, goBool, humanSize } from '../format/go-format';
import { TscomposeError } from '../../common/errors';

const HISTORY_LISTING: Listing = {
  table: '{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
  headers: {
    ID: 'IMAGE',
    CreatedSince: 'CREATED',
    CreatedAt: 'CREATED AT',
    CreatedBy: 'CREATED BY',
    Size: 'SIZE',
    Comment: 'COMMENT',
  },
};

export interface HistoryOptions {
  now: number;
  human: boolean;
  noTrunc?: boolean;
  quiet?: boolean;
  format?: string;
}

/** Go's time.Format(time.RFC3339) in UTC (the engine's clock, as the tests' TZ): `2024-01-02T15:04:05Z`. */
const rfc3339 = (unixSeconds: number): string =>
  new Date(unixSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function historyContext(h: ImageHistoryItem, o: HistoryOptions): Context {
  const createdAt = rfc3339(h.Created);
  const createdBy = h.CreatedBy.replace(/\t/g, ' ');
  // In the order of their names: `{{json .}}` writes them so, as docker's contexts marshal.
  return {
    Comment: h.Comment,
    CreatedAt: createdAt,
    CreatedBy: o.noTrunc ? createdBy : ellipsis(createdBy, 45),
    CreatedSince: o.human ? `${humanDuration(o.now - h.Created * 1000)} ago` : createdAt,
    ID: o.noTrunc || h.Id === '<missing>' ? h.Id : shortId(h.Id),
    Size: o.human ? humanSize(h.Size) : String(h.Size),
  };
}

export function renderHistory(items: ImageHistoryItem[], o: HistoryOptions): string {
  const contexts = items.map((h) => historyContext(h, o));
  if (o.quiet) return contexts.map((c) => `${c.ID}\n`).join('');
  return renderListing(contexts, o.format, HISTORY_LISTING);
}

/** `-H`/`--human` is a boolean docker reads with strconv.ParseBool (`-H=false`); pflag's words otherwise. */
export function humanFlag(value: string): boolean {
  const v = value.replace(/^=/, '');
  const parsed = goBool(v);
  if (parsed === undefined)
    throw new TscomposeError(
      `invalid argument "${v}" for "-H, --human" flag: strconv.ParseBool: parsing "${v}": invalid syntax`,
      { code: 'BAD_FLAG', exitCode: 125 },
    );
  return parsed;
}
