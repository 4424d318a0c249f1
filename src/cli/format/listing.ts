/**
 * docker's `--format` for listings: `table` (the default columns), `table TEMPLATE` (columns of
 * one's choosing, headed by docker's column names), `json` (one object a line) or a bare
 * TEMPLATE (a line per item, no header). Items are docker's formatter contexts, as strings.
 */
import { compileTemplate } from './go-template';
import { goJson } from './go-format';
import { tabulate } from './tabwriter';

export type Context = Record<string, string>;

export interface ListOptions {
  /** Now, in milliseconds: CREATED is relative to it. */
  now: number;
  noTrunc?: boolean;
  quiet?: boolean;
  format?: string;
  timeZone?: string;
}

export interface Listing {
  /** The default `table` columns, as a template. */
  table: string;
  /** The column names `table` templates get for each field. */
  headers: Context;
}

/** docker reads `\t` and `\n` typed in a format as the characters. */
const unescape = (format: string): string => format.replace(/\\t/g, '\t').replace(/\\n/g, '\n');

export function renderListing(items: Context[], format: string | undefined, listing: Listing): string {
  const f = format === undefined || format === '' ? 'table' : format;
  if (f === 'json') return items.map((item) => `${goJson(sortKeys(item))}\n`).join('');
  if (f === 'table' || f.startsWith('table ')) {
    const template = compileTemplate(
      unescape(f === 'table' ? listing.table : f.slice('table '.length).trim()),
    );
    const rows = [listing.headers, ...items].map((item) => template(item).split('\t'));
    return tabulate(rows, { minWidth: 10, padding: 3 });
  }
  const template = compileTemplate(unescape(f));
  return items.map((item) => `${template(item)}\n`).join('');
}

function sortKeys(o: Context): Context {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

/** stringid.TruncateID: the hex of an id without its algorithm, 12 characters. */
export function shortId(id: string): string {
  return id.slice(id.indexOf(':') + 1).slice(0, 12);
}
