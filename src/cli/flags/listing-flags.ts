/** The flags `container ls` and `image ls` share, and what they mean to the renderers. */
import { bool, str, type FlagTable } from './flag-spec';
import { oclifFlags } from './oclif-flags';
import type { ListOptions } from '../format/listing';

export const listingFlagTable = {
  quiet: bool('Only display IDs', { char: 'q' }),
  format: str("Format output: 'table', 'table TEMPLATE', 'json' or a Go template"),
  'no-trunc': bool("Don't truncate output"),
} satisfies FlagTable;

export const listingFlags = oclifFlags(listingFlagTable);

export function listOptions(flags: { quiet?: boolean; format?: string; 'no-trunc'?: boolean }): ListOptions {
  return { now: Date.now(), quiet: flags.quiet, format: flags.format, noTrunc: flags['no-trunc'] };
}
