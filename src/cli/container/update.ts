/**
 * `container update`: docker's flags → the update body, as the docker CLI builds it (a flag not
 * given is a zero, which the engine leaves as it was), then each container in turn.
 */
import type { ContainerUpdateBody } from '../../engine-api/container/types';
import type { EngineApi } from '../../engine-api/engine-api';
import { flagLabel, str, type FlagTable, type FlagValues } from '../flags/flag-spec';
import { TscomposeError } from '../../common/errors';
import { invalidArgument } from '../flags/usage';
import * as values from './run-values';

export const updateFlagTable = {
  'blkio-weight': str('Block IO (relative weight), between 10 and 1000, or 0 to disable'),
  'cpu-period': str('Limit CPU CFS (Completely Fair Scheduler) period'),
  'cpu-quota': str('Limit CPU CFS (Completely Fair Scheduler) quota'),
  'cpu-shares': str('CPU shares (relative weight)', { char: 'c' }),
  cpus: str('Number of CPUs'),
  'cpuset-cpus': str('CPUs in which to allow execution (0-3, 0,1)'),
  'cpuset-mems': str('MEMs in which to allow execution (0-3, 0,1)'),
  memory: str('Memory limit', { char: 'm' }),
  'memory-reservation': str('Memory soft limit'),
  'memory-swap': str('Swap limit equal to memory plus swap: -1 to enable unlimited swap'),
  'pids-limit': str('Tune container pids limit (set -1 for unlimited)'),
  restart: str('Restart policy to apply when a container exits'),
} satisfies FlagTable;

export type UpdateFlagValues = FlagValues<typeof updateFlagTable>;
type Name = keyof typeof updateFlagTable;

function parsed<T>(flags: UpdateFlagValues, name: Name, parse: (v: string) => T): T | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  try {
    return parse(raw);
  } catch (err) {
    if (err instanceof values.ValueError)
      throw invalidArgument(raw, flagLabel(updateFlagTable, name), err.message);
    throw err;
  }
}

export function updateBody(flags: UpdateFlagValues): ContainerUpdateBody {
  const given = (Object.keys(updateFlagTable) as Name[]).filter((n) => flags[n] !== undefined);
  if (given.length === 0)
    // docker's words and exit code (1: the command's own error, not a flag's)
    throw new TscomposeError('you must provide one or more flags when using this command', {
      code: 'NO_FLAGS',
    });
  const int = (name: Name) => parsed(flags, name, values.parseInteger);
  const body: ContainerUpdateBody = {
    BlkioWeight: int('blkio-weight'),
    CpuPeriod: int('cpu-period'),
    CpuQuota: int('cpu-quota'),
    CpuShares: int('cpu-shares'),
    NanoCpus: parsed(flags, 'cpus', values.nanoCpus),
    CpusetCpus: flags['cpuset-cpus'],
    CpusetMems: flags['cpuset-mems'],
    Memory: parsed(flags, 'memory', values.ramInBytes),
    MemoryReservation: parsed(flags, 'memory-reservation', values.ramInBytes),
    MemorySwap: parsed(flags, 'memory-swap', (v) => (v === '-1' ? -1 : values.ramInBytes(v))),
    PidsLimit: int('pids-limit'),
    RestartPolicy: flags.restart === undefined ? undefined : values.parseRestartPolicy(flags.restart),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as ContainerUpdateBody;
}

/** The container's name as given, once updated (what docker prints). */
export async function updateOne(
  engine: EngineApi,
  target: string,
  body: ContainerUpdateBody,
): Promise<string> {
  await engine.updateContainer(target, body);
  return target;
}
