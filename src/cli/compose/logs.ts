/**
 * `logs` once its flags are read (docker compose's `cmd/compose/logs.go`): the project's name,
 * from its files or `-p` alone; by default the services whose output is attached (`attach:
 * false` ones only when named); each line behind its container's coloured `web-1  | ` prefix.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import { parseLogTime } from '../flags/log-times';
import { ansiMode, colorOn } from './colors';
import { LogMultiplexer } from './log-prefix';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';
import type { composeLogsFlagTable } from './verb-flag-tables';

export async function showComposeLogs(
  flags: RunFlags<typeof composeLogsFlagTable>,
  operands: string[],
): Promise<number> {
  if (flags.index !== undefined && operands.length !== 1)
    throw new InvalidArgumentError('--index requires one service to be selected');
  const now = Date.now();
  const since = flags.since === undefined ? undefined : parseLogTime(flags.since, now);
  const until = flags.until === undefined ? undefined : parseLogTime(flags.until, now);
  const { name, project } = projectNameFromFlags(flags);
  let services = operands;
  if (project) {
    checkServices(project, operands);
    if (operands.length === 0)
      services = Object.entries(project.services)
        .filter(([, s]) => s.attach !== false)
        .map(([n]) => n);
  }
  const color =
    !flags['no-color'] && colorOn(ansiMode(flags.ansi, process.env), process.env, !!process.stdout.isTTY);
  const mux = new LogMultiplexer(process.stdout, process.stderr, { color, prefix: !flags['no-log-prefix'] });
  const { projectLogs } =
    require('../../compose/project-logs') as typeof import('../../compose/project-logs');
  const engine = await openEngine(flags);
  await projectLogs(
    engine,
    name,
    {
      follow: flags.follow,
      tail: flags.tail,
      since,
      until,
      timestamps: flags.timestamps,
      services,
      index: flags.index,
    },
    {
      register: (s) => mux.register(s.name),
      write: (s, stream, data) => mux.write(s.name, stream, data),
      ended: (s) => mux.end(s.name),
      status: (s, message) => mux.status(s.name, message),
      unreadable: (s, message) =>
        process.stderr.write(`WARN[0000] Can't retrieve logs for ${JSON.stringify(s.name)}: ${message}\n`),
    },
  );
  return 0;
}
