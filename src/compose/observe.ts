/**
 * What a project has on the engine now, found as docker compose finds it (ARCHITECTURE.md rule
 * 4): its containers (stopped and one-off ones too), networks and volumes by the
 * `com.docker.compose.project` label, the networks and volumes its files name whoever made them
 * (an external one, or one of the same name made by someone else), and the image id each
 * service's image reference names now. The planner reads only this.
 */
import { NotFoundError } from '../common/errors';
import type { Project } from '../compose-model/types';
import type { ContainerSummary } from '../engine-api/container/types';
import type { EngineApi } from '../engine-api/engine-api';
import { LABEL } from '../planner/labels';
import { serviceImage } from '../planner/names';
import type { ContainerState, Observed, ObservedContainer } from '../planner/observed';
import { containerName, isOneoff, numberOf, serviceOf } from './project-containers';

/** The project by name alone (`down -p NAME` without files) or with its files. */
export async function observe(engine: EngineApi, name: string, project?: Project): Promise<Observed> {
  const label = `${LABEL.project}=${name}`;
  const [containers, networks, volumes, images] = await Promise.all([
    engine.listContainers({ all: true, filters: { label: [label] } }),
    observeNetworks(engine, label, project),
    observeVolumes(engine, label, project),
    project ? observeImages(engine, project) : observeContainerImages(engine, label),
  ]);
  return {
    containers: containers.map(toObserved).sort((a, b) => (a.name < b.name ? -1 : 1)),
    networks,
    volumes,
    images,
  };
}

export function toObserved(c: ContainerSummary): ObservedContainer {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1];
  const exit = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(c.Status)?.[1];
  return {
    id: c.Id,
    name: containerName(c),
    service: serviceOf(c),
    number: numberOf(c),
    oneoff: isOneoff(c),
    state: c.State as ContainerState,
    ...(exit !== undefined ? { exitCode: Number(exit) } : {}),
    ...(health ? { health: health === 'health: starting' ? 'starting' : (health as 'healthy') } : {}),
    imageId: c.ImageID,
    labels: c.Labels,
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    volumes: [
      ...new Set((c.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name as string)),
    ].sort(),
  };
}

const byName = <T extends { name: string }>(list: T[]): T[] =>
  [...new Map(list.map((x) => [x.name, x])).values()].sort((a, b) => (a.name < b.name ? -1 : 1));

async function observeNetworks(
  engine: EngineApi,
  label: string,
  project?: Project,
): Promise<Observed['networks']> {
  const wanted = new Set(Object.values(project?.networks ?? {}).map((n) => n.name));
  const [labelled, all] = await Promise.all([
    engine.listNetworks({ filters: { label: [label] } }),
    wanted.size > 0 ? engine.listNetworks() : Promise.resolve([]),
  ]);
  return byName(
    [...labelled, ...all.filter((n) => wanted.has(n.Name))].map((n) => ({
      id: n.Id,
      name: n.Name,
      labels: n.Labels ?? {},
    })),
  );
}

async function observeVolumes(
  engine: EngineApi,
  label: string,
  project?: Project,
): Promise<Observed['volumes']> {
  const wanted = new Set(Object.values(project?.volumes ?? {}).map((v) => v.name));
  const [labelled, all] = await Promise.all([
    engine.listVolumes({ filters: { label: [label] } }),
    wanted.size > 0 ? engine.listVolumes() : Promise.resolve({ Volumes: [] }),
  ]);
  return byName(
    [...(labelled.Volumes ?? []), ...(all.Volumes ?? []).filter((v) => wanted.has(v.Name))].map((v) => ({
      name: v.Name,
      labels: v.Labels ?? {},
    })),
  );
}

/** The id each service's image reference names now; a reference the engine lacks is left out. */
async function observeImages(engine: EngineApi, project: Project): Promise<Record<string, string>> {
  const refs = [
    ...new Set(
      [...Object.values(project.services), ...Object.values(project.disabled)].map((s) =>
        serviceImage(project.name, s),
      ),
    ),
  ].sort();
  return imageIds(engine, refs);
}

/** Without files (`down --rmi`): the images the project's containers were made from. */
async function observeContainerImages(engine: EngineApi, label: string): Promise<Record<string, string>> {
  const containers = await engine.listContainers({ all: true, filters: { label: [label] } });
  return imageIds(engine, [...new Set(containers.map((c) => c.Image))].sort());
}

async function imageIds(engine: EngineApi, refs: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    refs.map(async (ref) => {
      try {
        const img = await engine.inspectImage(ref);
        if (typeof img.Id === 'string') out[ref] = img.Id;
      } catch (err) {
        if (!(err instanceof NotFoundError) && !/No such image/i.test((err as Error).message)) throw err;
      }
    }),
  );
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
