/**
 * `down` as a plan (docker compose's `pkg/compose/down.go`): each service's containers stopped
 * and removed once everything that depends on it is gone, then the networks the project made,
 * then with -v its named volumes and with --rmi its images. Without project files the services,
 * their dependencies and the resources come from the labels alone.
 */
import { projectGraph } from '../compose-model/graph';
import type { Project } from '../compose-model/types';
import { isRunning } from './converge';
import { LABEL } from './labels';
import { defaultImageName, serviceImage } from './names';
import type { Observed, ObservedContainer } from './observed';
import { PlanBuilder } from './plan-builder';
import type { DownPlanOptions, Plan } from './plan-types';
import { stopOrder } from './service-order';
import { labelDependencies, labelGraph } from './service-view';

export function planDown(
  projectName: string,
  project: Project | undefined,
  observed: Observed,
  opts: DownPlanOptions,
): Plan {
  const b = new PlanBuilder();
  // docker compose leaves `run`'s containers alone unless orphans go too.
  const containers = observed.containers
    .filter((c) => opts.removeOrphans || !c.oneoff)
    .sort((x, y) => (x.name < y.name ? -1 : 1));
  // Services disabled by profiles are the project's too: their containers hold its networks.
  const graph = project
    ? projectGraph({ ...project.disabled, ...project.services })
    : labelGraph(labelDependencies(observed.containers));
  const known = new Set(graph.services);

  const removeContainer = (c: ObservedContainer, after: string[], volumes: boolean): string => {
    const stop = isRunning(c)
      ? [
          b.add(
            { kind: 'stop-container', service: c.service, name: c.name, timeoutSeconds: opts.timeoutSeconds },
            after,
          ),
        ]
      : after;
    return b.add(
      { kind: 'remove-container', service: c.service, name: c.name, ...(volumes ? { volumes } : {}) },
      stop,
    );
  };
  // A service goes once its dependents are gone; one without containers passes theirs on.
  const gone = new Map<string, string[]>();
  for (const s of stopOrder(graph)) {
    const after = [...new Set(graph.dependents(s).flatMap((d) => gone.get(d) ?? []))];
    const own = containers
      .filter((c) => c.service === s)
      .map((c) => removeContainer(c, after, !!opts.volumes));
    gone.set(s, own.length > 0 ? own : after);
  }
  const orphans = containers.filter((c) => !known.has(c.service));
  if (opts.removeOrphans) for (const c of orphans) removeContainer(c, [], false);
  else if (orphans.length > 0)
    b.warn(
      `Found orphan containers ([${orphans.map((c) => c.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
    );
  const allRemoved = containers
    .filter((c) => known.has(c.service) || opts.removeOrphans)
    .map((c) => `remove-container:${c.name}`);

  const ours = (labels: Record<string, string>): boolean => labels[LABEL.project] === projectName;
  const networkNames = project
    ? Object.values(project.networks)
        .filter((n) => !n.external)
        .map((n) => n.name)
    : observed.networks.map((n) => n.name);
  for (const name of [...new Set(networkNames)].sort())
    if (observed.networks.some((n) => n.name === name && ours(n.labels)))
      b.add({ kind: 'remove-network', name }, allRemoved);

  if (opts.volumes) {
    const volumeNames = project
      ? Object.values(project.volumes)
          .filter((v) => !v.external)
          .map((v) => v.name)
      : observed.volumes.map((v) => v.name);
    for (const name of [...new Set(volumeNames)].sort())
      if (observed.volumes.some((v) => v.name === name && ours(v.labels)))
        b.add({ kind: 'remove-volume', name }, allRemoved);
  }

  if (opts.images)
    for (const image of imagesToRemove(projectName, project, graph.services, observed, opts.images))
      b.add({ kind: 'remove-image', image }, allRemoved);

  const plan = b.build();
  if (plan.nodes.length === 0)
    plan.warnings.push(`No resource found to remove for project "${projectName}".`);
  return plan;
}

/**
 * --rmi: `all` every service's image, `local` only those with no custom tag, i.e. the ones a
 * build names `<project>-<service>`; only images the engine has.
 */
function imagesToRemove(
  projectName: string,
  project: Project | undefined,
  services: string[],
  observed: Observed,
  which: 'local' | 'all',
): string[] {
  const refs = new Set<string>();
  if (project) {
    for (const s of Object.values(project.services))
      if (which === 'all' || s.image === undefined) refs.add(serviceImage(projectName, s));
  } else {
    for (const s of services) refs.add(defaultImageName(projectName, s));
    if (which === 'all') for (const ref of Object.keys(observed.images)) refs.add(ref);
  }
  return [...refs].filter((r) => observed.images[r] !== undefined).sort();
}
