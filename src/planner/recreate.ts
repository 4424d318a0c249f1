/**
 * Whether a container of a service must be recreated, as docker compose's mustRecreate decides:
 * `--force-recreate` always, `--no-recreate` never, otherwise when the config hash its label
 * records differs from the service's hash now (so scaling or editing dependencies never does).
 */
import { serviceConfigHash } from '../compose-model/config-hash';
import type { Project } from '../compose-model/types';
import type { RecreatePolicy } from './plan-types';

import { LABEL } from './labels';

export const CONFIG_HASH_LABEL = LABEL.configHash;

export function mustRecreate(
  service: Record<string, unknown>,
  labels: Record<string, string>,
  policy: RecreatePolicy = 'diverged',
): boolean {
  if (policy === 'force') return true;
  if (policy === 'never') return false;
  return labels[CONFIG_HASH_LABEL] !== serviceConfigHash(service);
}

/**
 * A service as the normalized tree has it: what the config hash is taken over, here and where
 * the label is written (the typed form would hash differently).
 */
export function projectServiceTree(project: Project, service: string): Record<string, unknown> {
  const services = project.model.services as Record<string, Record<string, unknown>> | undefined;
  // A service left out by profiles is still run by name (`run`), with the same hash.
  const disabled = project.disabledServices as Record<string, Record<string, unknown>> | undefined;
  return services?.[service] ?? disabled?.[service] ?? {};
}

/** The value of the `com.docker.compose.config-hash` label a container of `service` gets. */
export function projectServiceHash(project: Project, service: string): string {
  return serviceConfigHash(projectServiceTree(project, service));
}
