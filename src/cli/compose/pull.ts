/**
 * `pull` once its flags are read (docker compose's `cmd/compose/pull.go`): the project loaded,
 * the services named (with --include-deps what they need), --policy checked, and the compose
 * service's pull run with progress on stderr.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import { loadProjectFromFlags } from './project-from-flags';
import { registryIo, selectedServices } from './registry-services';
import type { pullFlagTable } from './registry-verb-flag-tables';

/** The values `--policy` takes: docker compose's pull policies. */
const POLICIES = /^(always|missing|never|build|if_not_present|daily|weekly|refresh|every_\w+)$/;

export async function runPull(flags: RunFlags<typeof pullFlagTable>, operands: string[]): Promise<number> {
  if (flags.policy !== undefined && !POLICIES.test(flags.policy))
    throw new InvalidArgumentError(`invalid --policy "${flags.policy}" (missing, always, never, build, ...)`);
  const project = loadProjectFromFlags(flags);
  const services = selectedServices(project, operands, !!flags['include-deps']);
  const { pull } = require('../../compose/pull') as typeof import('../../compose/pull');
  const engine = await openEngine(flags);
  const io = registryIo(flags, 'Pulling', !!flags.quiet);
  try {
    await pull(
      engine,
      services,
      {
        policy: flags.policy,
        ignoreFailures: flags['ignore-pull-failures'],
        ignoreBuildable: flags['ignore-buildable'],
      },
      io,
    );
  } finally {
    await io.progress.done();
  }
  return 0;
}
