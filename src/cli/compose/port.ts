/** `port` once its flags are read (docker compose's `cmd/compose/port.go`): `IP:PORT` of one private port. */
import { InvalidArgumentError, TscomposeError } from '../../common/errors';
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import type { composePortFlagTable } from './oneoff-verb-flag-tables';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';

export async function showComposePort(
  flags: RunFlags<typeof composePortFlagTable>,
  operands: string[],
): Promise<number> {
  if (operands.length !== 2)
    throw new TscomposeError(`accepts 2 arg(s), received ${operands.length}`, { code: 'USAGE' });
  const [service, text] = operands;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new InvalidArgumentError(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const protocol = flags.protocol.toLowerCase();
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, [service]);
  const { publicPort } = require('../../compose/port') as typeof import('../../compose/port');
  const engine = await openEngine(flags);
  const found = await publicPort(engine, name, service, port, { protocol, index: flags.index });
  process.stdout.write(`${found.ip}:${found.port}\n`);
  return 0;
}
