/**
 * `push` once its flags are read (docker compose's `cmd/compose/push.go`): the project loaded,
 * the services named (with --include-deps what they need), and the compose service's push run
 * with progress on stderr.
 */
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import { loadProjectFromFlags } from './project-from-flags';
import { registryIo, selectedServices } from './registry-services';
import type { pushFlagTable } from './registry-verb-flag-tables';

export async function runPush(flags: RunFlags<typeof pushFlagTable>, operands: string[]): Promise<number> {
  const project = loadProjectFromFlags(flags);
  const services = selectedServices(project, operands, !!flags['include-deps']);
  const { push } = require('../../compose/push') as typeof import('../../compose/push');
  const engine = await openEngine(flags);
  const io = registryIo(flags, 'Pushing', !!flags.quiet);
  try {
    await push(engine, services, { ignoreFailures: flags['ignore-push-failures'] }, io);
  } finally {
    await io.progress.done();
  }
  return 0;
}
