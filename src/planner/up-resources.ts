/**
 * What `up` needs before any container: the networks and volumes its services use (made when
 * missing, an external one missing refused as docker compose refuses it) and their images
 * (pulled per `pull_policy` or `--pull`; a service to build is refused until the builder lands).
 */
import { NotFoundError, NotImplementedError } from '../common/errors';
import type { ServiceConfig } from '../compose-model/project-types';
import type { Project } from '../compose-model/types';
import { LABEL } from './labels';
import { serviceImage } from './names';
import type { Observed } from './observed';
import type { PlanBuilder } from './plan-builder';
import type { UpPlanOptions } from './plan-types';

/** The network keys a service attaches to (none with a `network_mode`). */
export function serviceNetworkKeys(service: ServiceConfig): string[] {
  return service.networkMode ? [] : Object.keys(service.networks ?? {}).sort();
}

/** The top-level volume keys a service mounts. */
export function serviceVolumeKeys(service: ServiceConfig): string[] {
  const keys = (service.volumes ?? []).filter((v) => v.type === 'volume' && v.source).map((v) => v.source!);
  return [...new Set(keys)].sort();
}

/**
 * Adds the create nodes of the networks and volumes `services` use and returns, per service,
 * the nodes its containers wait for.
 */
export function planNetworksAndVolumes(
  b: PlanBuilder,
  project: Project,
  services: ServiceConfig[],
  observed: Observed,
): Map<string, string[]> {
  const networkNodes = new Map<string, string[]>();
  const volumeNodes = new Map<string, string[]>();
  const networkKeys = [...new Set(services.flatMap(serviceNetworkKeys))].sort();
  for (const key of networkKeys) {
    const net = project.networks[key];
    if (!net) continue;
    const found = observed.networks.find((n) => n.name === net.name);
    if (net.external) {
      if (!found) throw new NotFoundError(`network ${net.name} declared as external, but could not be found`);
      networkNodes.set(key, []);
    } else if (found) {
      if (found.labels[LABEL.project] !== project.name)
        b.warn(
          `a network with name ${net.name} exists but was not created for project "${project.name}". Set \`external: true\` to use an existing network`,
        );
      networkNodes.set(key, []);
    } else networkNodes.set(key, [b.add({ kind: 'create-network', key, name: net.name })]);
  }
  const volumeKeys = [...new Set(services.flatMap(serviceVolumeKeys))].sort();
  for (const key of volumeKeys) {
    const vol = project.volumes[key];
    if (!vol) continue;
    const found = observed.volumes.find((v) => v.name === vol.name);
    if (vol.external) {
      if (!found) throw new NotFoundError(`external volume "${vol.name}" not found`);
      volumeNodes.set(key, []);
    } else if (found) {
      if (found.labels[LABEL.project] !== project.name)
        b.warn(
          `volume "${vol.name}" already exists but was not created for project "${project.name}". Use \`external: true\` to use an existing volume`,
        );
      volumeNodes.set(key, []);
    } else volumeNodes.set(key, [b.add({ kind: 'create-volume', key, name: vol.name })]);
  }
  const out = new Map<string, string[]>();
  for (const s of services)
    out.set(s.name, [
      ...serviceNetworkKeys(s).flatMap((k) => networkNodes.get(k) ?? []),
      ...serviceVolumeKeys(s).flatMap((k) => volumeNodes.get(k) ?? []),
    ]);
  return out;
}

/** `pull_policy` values docker compose reads as "pull when absent" (daily, weekly, every_… too). */
function effectivePolicy(service: ServiceConfig, pull: UpPlanOptions['pull']): string {
  if (pull && pull !== 'policy') return pull;
  const p = service.pullPolicy ?? 'missing';
  return p === 'if_not_present' ? 'missing' : p;
}

/**
 * Adds a pull node per image that needs one and returns, per service, the node its containers
 * wait for. `services` are those that will have containers.
 */
export function planImages(
  b: PlanBuilder,
  project: Project,
  services: ServiceConfig[],
  observed: Observed,
  pull: UpPlanOptions['pull'],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of [...services].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const image = serviceImage(project.name, s);
    const present = observed.images[image] !== undefined;
    const policy = effectivePolicy(s, pull);
    const unbuildable = (): Error =>
      new NotImplementedError(
        `service "${s.name}" needs its image ${image} built, and building is not supported yet: pull or import the image first`,
        { code: 'BUILD_UNSUPPORTED' },
      );
    let pullIt = false;
    if (policy === 'always') pullIt = true;
    else if (policy === 'never') {
      if (!present && s.build) throw unbuildable();
      if (!present)
        throw new NotFoundError(
          `service "${s.name}": image ${image} is not present and pull_policy is never`,
        );
    } else if (policy === 'build') {
      if (!present) throw unbuildable();
      b.warn(
        `service "${s.name}" has pull_policy build, and building is not supported yet: using the image ${image} already present`,
      );
    } else if (!present) {
      if (s.build) throw unbuildable();
      pullIt = true;
    }
    out.set(s.name, pullIt ? [b.add({ kind: 'pull-image', service: s.name, image })] : []);
  }
  return out;
}
