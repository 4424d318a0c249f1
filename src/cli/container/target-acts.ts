/**
 * What `start`, `stop`, `restart`, `kill`, `rm`, `wait`, `pause` and `unpause` do to one container (the lines they
 * print for it), and what `inspect` fetches: the oclif commands and the fast path both call these.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import type { FlagValues } from '../flags/flag-spec';
import type { TargetAct } from '../targets/target-commands';
import type { killFlagTable, rmFlagTable, stopFlagTable } from './flag-tables';

export type StopFlagValues = FlagValues<typeof stopFlagTable>;

export const startOne: TargetAct = async (engine, id) => {
  await engine.startContainer(id);
  return id;
};

export const stopOne: TargetAct<StopFlagValues> = async (engine, id, flags) => {
  await engine.stopContainer(id, { timeout: flags.timeout, signal: flags.signal });
  return id;
};

export const restartOne: TargetAct<StopFlagValues> = async (engine, id, flags) => {
  await engine.restartContainer(id, { timeout: flags.timeout, signal: flags.signal });
  return id;
};

export const killOne: TargetAct<FlagValues<typeof killFlagTable>> = async (engine, id, flags) => {
  await engine.killContainer(id, flags.signal);
  return id;
};

export const removeOne: TargetAct<FlagValues<typeof rmFlagTable>> = async (engine, id, flags) => {
  await engine.removeContainer(id, { force: flags.force, volumes: flags.volumes });
  return id;
};

export const pauseOne: TargetAct = async (engine, id) => {
  await engine.pauseContainer(id);
  return id;
};

export const unpauseOne: TargetAct = async (engine, id) => {
  await engine.unpauseContainer(id);
  return id;
};

export const waitOne: TargetAct = async (engine, id) =>
  String((await engine.waitContainer(id, 'not-running')).StatusCode);

export const inspectOne = (engine: EngineApi, id: string): Promise<unknown> => engine.inspectContainer(id);
