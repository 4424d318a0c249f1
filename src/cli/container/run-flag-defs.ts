/**
 * oclif's flags of `container create` and `container run` (help, manifest, the oclif parse),
 * made from the plain table in run-flag-table.ts that the fast path reads too: a flag is added
 * there, never here, so both paths always know the same flags.
 */
import type { FlagValues } from '../flags/flag-spec';
import { oclifFlags } from '../flags/oclif-flags';
import { createFlagTable, runFlagTable } from './run-flag-table';

export const createFlags = oclifFlags(createFlagTable);
export const runFlags = oclifFlags(runFlagTable);

/** Parsed flags; `detach` only exists for `run`. */
export type RunFlagValues = FlagValues<typeof runFlagTable>;
