/**
 * The one container of a service a verb works on (docker compose's getSpecifiedContainer, for
 * `exec`, `attach` and `port`): its running containers, one-offs included, the replica asked by
 * --index or else the lowest-numbered, a service's own replicas before its one-offs. None:
 * docker compose's `service "web" is not running`.
 */
import { TscomposeError } from '../common/errors';
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerSummary } from '../engine-api/container/types';
import { isOneoff, numberOf, projectContainers } from './project-containers';

export class ServiceNotRunningError extends TscomposeError {
  constructor(service: string, index?: number) {
    super(
      index
        ? `service ${JSON.stringify(service)} is not running container #${index}`
        : `service ${JSON.stringify(service)} is not running`,
      { code: 'SERVICE_NOT_RUNNING', exitCode: 1 },
    );
  }
}

export async function serviceContainer(
  engine: EngineApi,
  project: string,
  service: string,
  index?: number,
): Promise<ContainerSummary> {
  const all = await projectContainers(engine, project, { oneoff: true, services: [service] });
  const found = all
    .filter((c) => !index || (!isOneoff(c) && numberOf(c) === index))
    .sort((a, b) => Number(isOneoff(a)) - Number(isOneoff(b)) || numberOf(a) - numberOf(b));
  if (found.length === 0) throw new ServiceNotRunningError(service, index);
  return found[0];
}
