/**
 * `ps`: a project's containers as docker compose's `Ps` returns them (`pkg/compose/ps.go`): the
 * engine's list entry of each, plus what only inspect knows — the health of a running one and the
 * exit code of a stopped one. Sorted by name, as docker compose prints them.
 */
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerSummary } from '../engine-api/container/types';
import { NotFoundError } from '../common/errors';
import { containerName, projectContainers } from './project-containers';

export interface PsOptions {
  /** Stopped and one-off (`run`) containers too. */
  all?: boolean;
  /** Only these services (empty: every one). */
  services?: readonly string[];
}

export interface PsEntry {
  container: ContainerSummary;
  /** `healthy`, `unhealthy`, `starting` for a running container with a healthcheck; else ''. */
  health: string;
  /** The exit code of an exited or dead container; else 0. */
  exitCode: number;
}

export async function ps(engine: EngineApi, project: string, opts: PsOptions = {}): Promise<PsEntry[]> {
  const list = await projectContainers(engine, project, {
    all: opts.all,
    oneoff: opts.all,
    services: opts.services,
  });
  const entries = await Promise.all(
    list.map(async (container): Promise<PsEntry | undefined> => {
      try {
        const { State } = await engine.inspectContainer(container.Id);
        const stopped = State.Status === 'exited' || State.Status === 'dead';
        return {
          container,
          health: State.Status === 'running' ? (State.Health?.Status ?? '') : '',
          exitCode: stopped ? State.ExitCode : 0,
        };
      } catch (err) {
        // Removed between the list and its inspect: it is not there any more.
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
    }),
  );
  return entries
    .filter((e): e is PsEntry => e !== undefined)
    .sort((a, b) => (containerName(a.container) < containerName(b.container) ? -1 : 1));
}
