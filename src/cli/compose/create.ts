/**
 * `create` (docker compose's `cmd/compose/create.go`): `up --no-start` with create's flags, the
 * same plan made and run, nothing started.
 */
import type { FlagValues } from '../flags/flag-spec';
import type { createFlagTable } from './state-verb-flag-tables';
import { runUp } from './up';

export async function runCreate(
  flags: Partial<FlagValues<typeof createFlagTable>> & { host?: string },
  services: string[],
): Promise<number> {
  return runUp({ ...flags, 'no-start': true }, services);
}
