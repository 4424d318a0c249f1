/**
 * What `up` does with each container of a service, decided as docker compose's convergence
 * decides it (`pkg/compose/convergence.go`): keep the lowest numbers up to the scale, remove the
 * rest, fill the missing numbers from the lowest free one, recreate what diverged, start what is
 * stopped.
 */
import { InvalidArgumentError } from '../common/errors';
import type { ServiceConfig } from '../compose-model/project-types';
import type { Project } from '../compose-model/types';
import { containerName, serviceImage } from './names';
import type { ObservedContainer, Observed } from './observed';
import type { RecreatePolicy } from './plan-types';
import { mustRecreate as configDiverged, projectServiceTree } from './recreate';
import { serviceNetworkKeys, serviceVolumeKeys } from './up-resources';

/**
 * `restart`: running, untouched, but stopped and started again around the recreate of a
 * dependency it names with `restart: true`.
 */
export type ContainerAction = 'create' | 'recreate' | 'start' | 'restart' | 'none';

export interface ContainerDecision {
  number: number;
  /** The name it has once the plan is done. */
  name: string;
  action: ContainerAction;
  existing?: ObservedContainer;
}

export interface ServiceDecision {
  service: string;
  containers: ContainerDecision[];
  /** Beyond the scale: stopped and removed. */
  scaledDown: ObservedContainer[];
}

export const isRunning = (c: ObservedContainer): boolean =>
  c.state === 'running' || c.state === 'restarting' || c.state === 'paused';

/** `scale` from `--scale`, then `scale:`, then `deploy.replicas`, else 1. */
export function expectedScale(service: ServiceConfig, scale: Record<string, number> | undefined): number {
  const n = scale?.[service.name] ?? service.scale ?? service.deploy?.replicas ?? 1;
  if (n > 1 && service.containerName)
    throw new InvalidArgumentError(
      `service "${service.name}" has container_name "${service.containerName}" and cannot be scaled to ${n}: a container name must be unique`,
    );
  return n;
}

export interface DecideContext {
  project: Project;
  observed: Observed;
  policy: RecreatePolicy;
  /** A `network_mode`/`ipc`/`pid: service:x` or `volumes_from` parent got new containers. */
  parentReplaced: boolean;
  /** A `depends_on` entry with `restart: true` names a service whose containers are recreated. */
  dependencyRecreated: boolean;
  scale: number;
}

export function decideService(service: ServiceConfig, ctx: DecideContext): ServiceDecision {
  const mine = ctx.observed.containers
    .filter((c) => c.service === service.name && !c.oneoff)
    .sort((a, b) => a.number - b.number || (a.name < b.name ? -1 : 1));
  const kept = new Map<number, ObservedContainer>();
  const scaledDown: ObservedContainer[] = [];
  // The lowest numbers stay, so scaling down removes the highest first.
  for (const c of mine) {
    if (kept.size < ctx.scale && !kept.has(c.number) && c.number > 0) kept.set(c.number, c);
    else scaledDown.push(c);
  }
  const containers: ContainerDecision[] = [];
  for (const [number, c] of kept) {
    const name = containerName(ctx.project.name, service, number);
    let action: ContainerAction = 'none';
    if (mustRecreate(service, c, ctx)) action = 'recreate';
    else if (c.state === 'created' || c.state === 'exited' || c.state === 'dead') action = 'start';
    else if (ctx.dependencyRecreated && isRunning(c)) action = 'restart';
    containers.push({ number, name: action === 'recreate' ? name : c.name, action, existing: c });
  }
  for (let number = 1; containers.length < ctx.scale; number++)
    if (!kept.has(number))
      containers.push({ number, name: containerName(ctx.project.name, service, number), action: 'create' });
  containers.sort((a, b) => a.number - b.number);
  return { service: service.name, containers, scaledDown };
}

/** docker compose's mustRecreate, with the parents of its namespaces and volumes. */
function mustRecreate(service: ServiceConfig, c: ObservedContainer, ctx: DecideContext): boolean {
  if (ctx.policy === 'never') return false;
  if (ctx.parentReplaced) return true;
  if (configDiverged(projectServiceTree(ctx.project, service.name), c.labels, ctx.policy)) return true;
  if (ctx.observed.images[serviceImage(ctx.project.name, service)] !== c.imageId) return true;
  const volumes = serviceVolumeKeys(service).map((k) => ctx.project.volumes[k]?.name ?? k);
  if (volumes.some((v) => !c.volumes.includes(v))) return true;
  // docker compose looks at the networks of running containers only: a stopped one has none.
  const networks = serviceNetworkKeys(service).map((k) => ctx.project.networks[k]?.name ?? k);
  if (c.state === 'running' && networks.some((n) => !c.networks.includes(n))) return true;
  return false;
}

/** The services whose containers a service shares a namespace or the volumes of. */
export function namespaceParents(service: ServiceConfig): string[] {
  const out = new Set<string>();
  for (const mode of [service.networkMode, service.ipc, service.pid])
    if (mode?.startsWith('service:')) out.add(mode.slice('service:'.length));
  for (const v of service.volumesFrom ?? []) if (!v.startsWith('container:')) out.add(v.split(':')[0]);
  return [...out].sort();
}

/** Whether the containers a child would join are new: one recreated, or none there before. */
export function replacesContainers(d: ServiceDecision): boolean {
  return (
    d.containers.some((c) => c.action === 'recreate') ||
    (d.containers.length > 0 && d.containers.every((c) => c.action === 'create'))
  );
}
