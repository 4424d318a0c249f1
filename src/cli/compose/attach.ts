/**
 * `attach` once its flags are read (docker compose's `cmd/compose/attach.go`): the engine-level
 * attach to the service's container (--index, else the first running one), its exit code as
 * ours. With --sig-proxy (the default) on a container without a terminal, the signals that
 * would end us are passed on to it instead, as docker's CLI does.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import type { composeAttachFlagTable } from './oneoff-verb-flag-tables';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';
import { proxySignals } from './signal-proxy';

export async function runComposeAttach(
  flags: RunFlags<typeof composeAttachFlagTable>,
  operands: string[],
): Promise<number> {
  if (operands.length !== 1)
    throw new InvalidArgumentError(`accepts 1 arg(s), received ${operands.length}`, { code: 'USAGE' });
  const sigProxy = flags['sig-proxy'];
  if (sigProxy !== 'true' && sigProxy !== 'false')
    throw new InvalidArgumentError(
      `invalid argument "${sigProxy}" for "--sig-proxy" flag: strconv.ParseBool: parsing "${sigProxy}": invalid syntax`,
    );
  const [service] = operands;
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, [service]);
  const { serviceContainer } =
    require('../../compose/service-container') as typeof import('../../compose/service-container');
  const { attachContainer } = require('../container/attach') as typeof import('../container/attach');
  const engine = await openEngine(flags);
  const target = await serviceContainer(engine, name, service, flags.index);
  const stop = sigProxy === 'true' ? proxySignals(engine, target.Id) : () => undefined;
  try {
    return await attachContainer(engine, target.Id, {
      detachKeys: flags['detach-keys'],
      noStdin: flags['no-stdin'],
    });
  } finally {
    stop();
  }
}
