/**
 * The names docker compose gives what it makes (reference/cli.md "Naming"): containers
 * `<project>-<service>-<n>` unless `container_name`, a replacement made beside the container it
 * replaces as `<old id, 12>_<name>`, and a built service's image `<project>-<service>`.
 */
import type { ServiceConfig } from '../compose-model/project-types';

/** docker compose's api.Separator. */
const SEPARATOR = '-';

export function containerName(project: string, service: ServiceConfig, number: number): string {
  return service.containerName ?? [project, service.name, String(number)].join(SEPARATOR);
}

/** The temporary name of a recreated container until the old one is gone. */
export function replacementName(oldId: string, name: string): string {
  return `${oldId.replace(/^sha256:/, '').slice(0, 12)}_${name}`;
}

/** The image a service runs: `image:`, else the name its build would be tagged with. */
export function serviceImage(project: string, service: ServiceConfig): string {
  return service.image ?? defaultImageName(project, service.name);
}

export function defaultImageName(project: string, service: string): string {
  return [project, service].join(SEPARATOR);
}
