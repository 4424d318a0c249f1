/**
 * The commands the fast path serves: their flags (the tables the oclif commands are made of) and
 * what they do, through the same functions the oclif commands call. Implementations are required
 * when a command runs, so each command loads only what it uses. A plan that returns undefined
 * leaves the argv to oclif: operands oclif itself would refuse.
 */
import type { FlagTable, FlagValues } from '../flags/flag-spec';
import { engineFlagTable } from '../flags/engine-flags';
import {
  execFlagTable,
  inspectFlagTable,
  killFlagTable,
  logsFlagTable,
  lsFlagTable,
  rmFlagTable,
  stopFlagTable,
} from '../container/flag-tables';
import { createFlagTable, runFlagTable } from '../container/run-flag-table';
import type { TargetAct } from '../container/target-acts';

/** What a served command ends with: its exit code. */
export type Run = () => Promise<number>;

export interface FastCommand<T extends FlagTable = FlagTable> {
  flags: T;
  /** pflag's rule for run, create and exec: the first operand ends the flags. */
  untilOperand?: boolean;
  plan(flags: FlagValues<T>, operands: string[]): Run | undefined;
}

const withEngine = <T extends FlagTable>(t: T) => ({ ...engineFlagTable, ...t });

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function command<T extends FlagTable>(c: FastCommand<T>): FastCommand {
  return c as unknown as FastCommand;
}

const engineClient = () => require('../engine-client') as typeof import('../engine-client');
const acts = () => require('../container/target-acts') as typeof import('../container/target-acts');

/** `run` and `create` start the same way: the request built from the argv, the engine reached. */
async function prepared(name: string, flags: FlagValues<typeof runFlagTable>, operands: string[]) {
  const rc = require('../container/create') as typeof import('../container/create');
  return { rc, ...(await rc.createRequestAndEngine(name, flags, operands)) };
}

/** The commands of one or more containers, as OperandsCommand runs them. */
function targets<T extends FlagTable>(name: string, flags: T, act: () => TargetAct<FlagValues<T>>) {
  return command({
    flags: withEngine(flags),
    plan: (values, operands) => async () => {
      const { engineForTargets, forEachTarget } = engineClient();
      const engine = await engineForTargets(name, operands, values);
      const one = act();
      await forEachTarget(operands, (id) => one(engine, id, values as FlagValues<T>));
      return 0;
    },
  });
}

const ls = command({
  flags: withEngine(lsFlagTable),
  plan: (flags, operands) =>
    operands.length > 0
      ? undefined
      : async () => {
          const { listContainers } = require('../container/ls') as typeof import('../container/ls');
          await listContainers(flags);
          return 0;
        },
});

export const FAST_COMMANDS: Record<string, FastCommand> = {
  run: command({
    flags: withEngine(runFlagTable),
    untilOperand: true,
    plan: (flags, operands) => async () => {
      const { req, engine } = await prepared('container run', flags, operands);
      const { runContainer } = require('../container/run') as typeof import('../container/run');
      return runContainer(flags, req, engine);
    },
  }),
  create: command({
    flags: withEngine(createFlagTable),
    untilOperand: true,
    plan: (flags, operands) => async () => {
      const { rc, req, engine } = await prepared('container create', flags, operands);
      out((await rc.createContainer(engine, req)).Id);
      return 0;
    },
  }),
  exec: command({
    flags: withEngine(execFlagTable),
    untilOperand: true,
    plan: (flags, operands) => async () => {
      const { execInContainer } = require('../container/exec') as typeof import('../container/exec');
      return execInContainer(flags, operands);
    },
  }),
  start: targets('container start', {}, () => acts().startOne),
  stop: targets('container stop', stopFlagTable, () => acts().stopOne),
  restart: targets('container restart', stopFlagTable, () => acts().restartOne),
  kill: targets('container kill', killFlagTable, () => acts().killOne),
  rm: targets('container rm', rmFlagTable, () => acts().removeOne),
  wait: targets('container wait', {}, () => acts().waitOne),
  inspect: command({
    flags: withEngine(inspectFlagTable),
    plan: (flags, operands) => async () => {
      const { inspectEach } = require('../targets/inspect-each') as typeof import('../targets/inspect-each');
      const engine = await engineClient().engineForTargets('container inspect', operands, flags);
      await inspectEach(operands, (ref) => acts().inspectOne(engine, ref), flags.format);
      return 0;
    },
  }),
  ls,
  ps: ls,
  list: ls,
  logs: command({
    flags: withEngine(logsFlagTable),
    plan: (flags, operands) =>
      operands.length !== 1
        ? undefined
        : async () => {
            const { showLogs } = require('../container/logs') as typeof import('../container/logs');
            await showLogs(operands[0], flags);
            return 0;
          },
  }),
};
