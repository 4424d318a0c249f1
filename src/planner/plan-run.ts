/**
 * What a `run` one-off needs that its dependencies' `up` may not have made: the networks and
 * volumes of its own service (docker compose's run creates them with the project's resources
 * even when the service has no dependency, or with --no-deps).
 */
import type { ServiceConfig } from '../compose-model/project-types';
import type { Project } from '../compose-model/types';
import type { Observed } from './observed';
import { PlanBuilder } from './plan-builder';
import type { Plan } from './plan-types';
import { planNetworksAndVolumes } from './up-resources';

/** `service` as the one-off runs it: its -v volumes too. */
export function planRunResources(project: Project, service: ServiceConfig, observed: Observed): Plan {
  const b = new PlanBuilder();
  planNetworksAndVolumes(b, project, [service], observed);
  return b.build();
}
