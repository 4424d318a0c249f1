/**
 * `rm` once its flags are read (docker compose's `cmd/compose/remove.go`): the stopped
 * containers named, then removed after a yes to docker compose's question, or at once with -f
 * ("Going to remove …" on stdout); "No stopped containers" when there is none.
 */
import { askYesNo } from '../confirm';
import type { FlagValues } from '../flags/flag-spec';
import { withStateVerb } from './state-verbs';
import type { rmFlagTable } from './state-verb-flag-tables';

export async function runRm(
  flags: Partial<FlagValues<typeof rmFlagTable>> & { host?: string },
  services: string[],
): Promise<number> {
  const { remove } = require('../../compose/remove') as typeof import('../../compose/remove');
  const plan = await withStateVerb(flags, services, (t, io) =>
    remove(
      t,
      { services, stop: flags.stop, volumes: flags.volumes, dryRun: flags['dry-run'] },
      {
        ...io,
        confirm: async (names) => {
          const message = `Going to remove ${names.join(', ')}`;
          if (flags.force) {
            process.stdout.write(`${message}\n`);
            return true;
          }
          return askYesNo(`? ${message} (y/N) `);
        },
      },
    ),
  );
  if (!plan) process.stderr.write('No stopped containers\n');
  return 0;
}
