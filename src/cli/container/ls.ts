/** `container ls` once its flags are read: the oclif command and the fast path both call this. */
import { openEngine } from '../engine-client';
import type { FlagValues } from '../flags/flag-spec';
import type { engineFlagTable } from '../flags/engine-flags';
import type { lsFlagTable } from './flag-tables';
import { parseFilters } from '../flags/filters';
import { listOptions } from '../flags/listing-flags';
import { renderContainerList } from './render-containers';

export async function listContainers(
  flags: FlagValues<typeof lsFlagTable> & FlagValues<typeof engineFlagTable>,
): Promise<void> {
  const filters = parseFilters(flags.filter);
  const engine = await openEngine(flags);
  const list = await engine.listContainers({ all: flags.all, filters });
  process.stdout.write(renderContainerList(list, listOptions(flags)));
}
