/** The flags `container ls` and `image ls` share, and what they mean to the renderers. */
import { Flags } from '@oclif/core';
import type { ListOptions } from './render-containers';

export const listingFlags = {
  quiet: Flags.boolean({ char: 'q', description: 'Only display IDs' }),
  format: Flags.string({ description: "Format output: 'table', 'table TEMPLATE', 'json' or a Go template" }),
  'no-trunc': Flags.boolean({ description: "Don't truncate output" }),
};

export function listOptions(flags: { quiet?: boolean; format?: string; 'no-trunc'?: boolean }): ListOptions {
  return { now: Date.now(), quiet: flags.quiet, format: flags.format, noTrunc: flags['no-trunc'] };
}
