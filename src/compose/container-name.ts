/**
 * The names docker compose gives a service's containers (`getContainerName`): `container_name:`,
 * else `<project>-<service>-<n>` with api.Separator "-".
 */
import type { ServiceConfig } from '../compose-model/project-types';

export function containerName(projectName: string, service: ServiceConfig, number: number): string {
  return service.containerName ?? `${projectName}-${service.name}-${number}`;
}
