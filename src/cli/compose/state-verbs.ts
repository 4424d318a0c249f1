/**
 * The state verbs once their flags are read (docker compose's `cmd/compose/{start,stop,restart,
 * kill,pause}.go`): the project from its files, or its name alone; the services named checked;
 * the verb run under the project's lock with progress on stderr, or its plan printed with
 * --dry-run.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { StateTarget, StateVerbIo } from '../../compose/state-plan';
import type { FlagValues, FlagTable } from '../flags/flag-spec';
import { openEngine } from '../engine-client';
import { progressFromFlags } from './progress/choose';
import { projectNameFromFlags, type ComposeGlobalValues } from './project-from-flags';
import { withProjectLock } from './project-lock';
import { checkServices } from './services';
import type {
  killFlagTable,
  pauseFlagTable,
  restartFlagTable,
  startFlagTable,
  stopFlagTable,
} from './state-verb-flag-tables';
import { parallelLimit } from './up';
import { truthy } from './up-options';

type Flags<T extends FlagTable> = Partial<FlagValues<T>> & { host?: string };

/** Runs `fn` on the project with the verbs' common io. */
export async function withStateVerb<T>(
  flags: ComposeGlobalValues & { host?: string },
  services: string[],
  fn: (t: StateTarget, io: StateVerbIo) => Promise<T>,
): Promise<T> {
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, services);
  const engine = await openEngine(flags);
  const progress = progressFromFlags(flags);
  const io: StateVerbIo = {
    progress,
    print: (text) => void process.stdout.write(text),
    parallelLimit: parallelLimit(flags.parallel),
  };
  try {
    const run = (): Promise<T> => fn({ engine, name, project }, io);
    return flags['dry-run'] ? await run() : await withProjectLock(name, run);
  } finally {
    await progress.done();
  }
}

export function checkTimeout(seconds: number | undefined, flag = '--timeout'): void {
  if (seconds !== undefined && seconds < 0) throw new InvalidArgumentError(`${flag} must not be negative`);
}

export async function runStart(flags: Flags<typeof startFlagTable>, services: string[]): Promise<number> {
  checkTimeout(flags['wait-timeout'], '--wait-timeout');
  const { start } = require('../../compose/start') as typeof import('../../compose/start');
  await withStateVerb(flags, services, (t, io) =>
    start(
      t,
      {
        services,
        wait: flags.wait,
        waitTimeoutMs: flags['wait-timeout'] ? flags['wait-timeout'] * 1000 : undefined,
        dryRun: flags['dry-run'],
      },
      io,
    ),
  );
  return 0;
}

export async function runStop(flags: Flags<typeof stopFlagTable>, services: string[]): Promise<number> {
  checkTimeout(flags.timeout);
  const { stop } = require('../../compose/stop') as typeof import('../../compose/stop');
  await withStateVerb(flags, services, (t, io) =>
    stop(t, { services, timeoutSeconds: flags.timeout, dryRun: flags['dry-run'] }, io),
  );
  return 0;
}

export async function runRestart(flags: Flags<typeof restartFlagTable>, services: string[]): Promise<number> {
  checkTimeout(flags.timeout);
  const { restart } = require('../../compose/restart') as typeof import('../../compose/restart');
  await withStateVerb(flags, services, (t, io) =>
    restart(
      t,
      { services, noDeps: flags['no-deps'], timeoutSeconds: flags.timeout, dryRun: flags['dry-run'] },
      io,
    ),
  );
  return 0;
}

export async function runKill(flags: Flags<typeof killFlagTable>, services: string[]): Promise<number> {
  const { kill } = require('../../compose/signal-verbs') as typeof import('../../compose/signal-verbs');
  const plan = await withStateVerb(flags, services, (t, io) =>
    kill(
      t,
      {
        services,
        signal: flags.signal ?? 'SIGKILL',
        removeOrphans: flags['remove-orphans'] || truthy(process.env.COMPOSE_REMOVE_ORPHANS),
        dryRun: flags['dry-run'],
      },
      io,
    ),
  );
  if (plan.nodes.length === 0) process.stderr.write('No container to kill\n');
  return 0;
}

export async function runPause(
  flags: Flags<typeof pauseFlagTable>,
  services: string[],
  verb: 'pause' | 'unpause',
): Promise<number> {
  const verbs = require('../../compose/signal-verbs') as typeof import('../../compose/signal-verbs');
  await withStateVerb(flags, services, (t, io) => verbs[verb](t, { services, dryRun: flags['dry-run'] }, io));
  return 0;
}
