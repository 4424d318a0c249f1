/**
 * `top` (docker compose's `pkg/compose/top.go`): the processes of each running container of the
 * project (of the services named), with the service and replica number each belongs to.
 */
import type { EngineApi } from '../engine-api/engine-api';
import { containerName, numberOf, projectContainers, serviceOf } from './project-containers';

/** docker compose's api.ContainerProcSummary. */
export interface ContainerProcSummary {
  name: string;
  service: string;
  /** The container number, as text ('' for a one-off). */
  replica: string;
  titles: string[];
  processes: string[][];
}

export async function top(
  engine: EngineApi,
  project: string,
  services: readonly string[],
): Promise<ContainerProcSummary[]> {
  const containers = await projectContainers(engine, project, { oneoff: true, services });
  return Promise.all(
    containers.map(async (c) => {
      const t = await engine.topContainer(c.Id);
      const n = numberOf(c);
      return {
        name: containerName(c),
        service: serviceOf(c),
        replica: n ? String(n) : '',
        titles: t.Titles,
        processes: t.Processes,
      };
    }),
  );
}
