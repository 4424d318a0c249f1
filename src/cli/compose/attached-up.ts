/**
 * A foreground `up` after the containers started: their output behind docker compose's coloured
 * `web-1  | ` prefixes, `web-1 exited with code 0` lines, and the ends docker compose has:
 * every attached container gone (its exit code, or the cascade's), Ctrl-C (stopped gracefully
 * with -t, shown as progress; a second Ctrl-C kills; exit 130).
 */
import type { Project } from '../../compose-model/types';
import type { EngineApi } from '../../engine-api/engine-api';
import type { LogSource } from '../../compose/logs';
import type { AttachSettings, UpFlags } from './up-options';
import type { Interrupts } from './interrupts';
import { ansiMode, colorOn } from './colors';
import { LogMultiplexer } from './log-prefix';
import { progressSink } from './progress/choose';

/** docker compose's exit code for a foreground `up` ended by Ctrl-C. */
export const INTERRUPTED_EXIT = 130;

export interface AttachedRun {
  settings: AttachSettings;
  /** The services named on the command line. */
  services: string[];
  flags: UpFlags;
  /** Unix seconds when `up` began: output from then on. */
  since: number;
  interrupts: Interrupts;
}

/** The services whose output is shown (docker compose's attachTo). */
export function attachedServices(
  all: string[],
  run: Pick<AttachedRun, 'settings' | 'services'>,
): Set<string> {
  const s = run.settings;
  const out = new Set(
    s.attach.length > 0 ? s.attach : run.services.length > 0 && !s.attachDependencies ? run.services : all,
  );
  if (s.attachDependencies) for (const n of all) out.add(n);
  for (const n of s.noAttach) out.delete(n);
  if (s.exitCodeFrom) out.add(s.exitCodeFrom);
  return out;
}

/** `web-1` for `demo-web-1`; a `container_name` as it is. */
function shortName(project: string, c: LogSource): string {
  const standard = `${project}-${c.service}-${c.number}`;
  return c.name === standard ? c.name.slice(project.length + 1) : c.name;
}

export async function runAttached(
  engine: EngineApi,
  project: Project,
  containers: LogSource[],
  run: AttachedRun,
): Promise<number> {
  const { attachProject } =
    require('../../compose/attach-project') as typeof import('../../compose/attach-project');
  const { stopProject, killProject } = require('../../compose/stop') as typeof import('../../compose/stop');
  const { flags, interrupts } = run;
  const wanted = attachedServices([...new Set(containers.map((c) => c.service))], run);
  const sources = containers.filter((c) => wanted.has(c.service));
  const color =
    !flags['no-color'] && colorOn(ansiMode(flags.ansi, process.env), process.env, !!process.stdout.isTTY);
  const mux = new LogMultiplexer(process.stdout, process.stderr, {
    color,
    prefix: !flags['no-log-prefix'],
    timestamps: flags.timestamps,
  });
  const names = new Map(sources.map((c) => [c.name, shortName(project.name, c)]));
  for (const n of names.values()) mux.register(n);
  if (sources.length > 0) process.stderr.write(`Attaching to ${[...names.values()].join(', ')}\n`);

  const stop = async (): Promise<void> => {
    const sink = progressSink(
      { progress: flags.progress, ansi: flags.ansi, env: process.env, stderrIsTTY: !!process.stderr.isTTY },
      { title: 'Stopping' },
    );
    try {
      await stopProject(engine, project, { timeoutSeconds: flags.timeout }, sink);
    } finally {
      await sink.done();
    }
  };
  const cancelled = new AbortController();
  let stopping: Promise<void> | undefined;
  const graceful = (): void => {
    cancelled.abort();
    process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
    stopping = stop().catch((err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
    });
  };
  const force = (): void => {
    void killProject(engine, project);
  };
  if (interrupts.first.aborted) graceful();
  else interrupts.first.addEventListener('abort', graceful, { once: true });
  interrupts.second.addEventListener('abort', force, { once: true });

  const code = await attachProject(
    engine,
    sources,
    {
      write: (s, stream, data) => mux.write(names.get(s.name) ?? s.name, stream, data),
      ended: (s) => mux.end(names.get(s.name) ?? s.name),
      exited: (s, exitCode) => mux.status(names.get(s.name) ?? s.name, `exited with code ${exitCode}`),
    },
    {
      cascade: run.settings.cascade,
      exitCodeFrom: run.settings.exitCodeFrom,
      since: run.since,
      cancelled: cancelled.signal,
      abort: async () => {
        process.stderr.write('Aborting on container exit...\n');
        await stop();
      },
    },
  );
  await stopping;
  return cancelled.signal.aborted ? INTERRUPTED_EXIT : code;
}
