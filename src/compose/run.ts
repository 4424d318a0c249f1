/**
 * `run` (docker compose's `pkg/compose/run.go` prepareRun): the service's dependencies brought up
 * as `up` brings them up (unless --no-deps) and waited for as its depends_on says, then the
 * one-off container's create request: the service changed by the run's options, without its
 * restart policy, labelled `com.docker.compose.oneoff=True` with a random slug, and named
 * `<project>-<service>-run-<first 12 hex of the slug>` unless --name. Creating, starting and
 * attaching is the engine-level `run`'s, on the CLI side.
 */
import { randomBytes } from 'node:crypto';
import { projectGraph } from '../compose-model/graph';
import type { PortConfig, ServiceConfig, ServiceVolumeConfig } from '../compose-model/project-types';
import type { Project } from '../compose-model/types';
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerCreateBody } from '../engine-api/container/types';
import { CancelledError } from '../common/errors';
import { planRunResources } from '../planner/plan-run';
import { applyPlan } from './apply';
import { waitForCondition } from './apply-wait';
import { observe } from './observe';
import { projectApplyContext } from './project-apply-context';
import { containerCreateBody, imageOf } from './convert';
import { containerName, projectContainers, serviceOf } from './project-containers';
import { up, type CreateOptions, type UpIo } from './up';

/** docker compose's api.RunOptions, as far as they change the one-off. */
export interface RunOptions {
  service: string;
  /** Replaces the service's command when given. */
  command?: string[];
  /** Replaces the entrypoint, and then the command too unless one is given. */
  entrypoint?: string[];
  name?: string;
  /** `-e`, resolved: over the service's environment. */
  environment?: Record<string, string>;
  labels?: Record<string, string>;
  user?: string;
  workingDir?: string;
  capAdd?: string[];
  capDrop?: string[];
  /** `-v`, appended to the service's volumes. */
  volumes?: ServiceVolumeConfig[];
  /** None by default; the service's with --service-ports; these with -p. */
  ports: 'none' | 'service' | PortConfig[];
  useAliases?: boolean;
  autoRemove?: boolean;
  tty: boolean;
  interactive: boolean;
  noDeps?: boolean;
  removeOrphans?: boolean;
  pull?: CreateOptions['pull'];
}

export interface OneOffRequest {
  name: string;
  body: ContainerCreateBody;
}

export async function prepareRun(
  engine: EngineApi,
  project: Project,
  opts: RunOptions,
  io: UpIo,
): Promise<OneOffRequest> {
  const service = project.services[opts.service];
  if (!opts.noDeps) await startDependencies(engine, project, opts, io);
  const oneOff = runService(service, opts);
  await makeResources(engine, project, oneOff, io);
  const slug = randomBytes(32).toString('hex');
  const name = opts.name || `${project.name}-${service.name}-run-${slug.slice(0, 12)}`;
  const image = await engine.inspectImage(imageOf(project, service)).catch(() => undefined);
  const { body, warnings } = containerCreateBody(project, oneOff, 0, {
    name,
    oneoff: true,
    slug,
    imageId: typeof image?.Id === 'string' ? image.Id : undefined,
    useNetworkAliases: opts.useAliases === true,
    autoRemove: opts.autoRemove || undefined,
    attachStdin: opts.interactive,
  });
  for (const w of warnings) io.warn(w);
  return { name, body };
}

/** The service's own networks and volumes, when missing. */
async function makeResources(
  engine: EngineApi,
  project: Project,
  service: ServiceConfig,
  io: UpIo,
): Promise<void> {
  const plan = planRunResources(project, service, await observe(engine, project.name, project));
  if (plan.nodes.length === 0) return;
  const ctx = projectApplyContext(engine, project, io.progress, {
    signal: io.signal,
    warn: io.warn,
    registryAuth: io.registryAuth,
  });
  const result = await applyPlan(plan, ctx);
  if (result.failed[0]) throw result.failed[0].error;
  if (result.interrupted) throw new CancelledError('run was interrupted', { exitCode: 130 });
}

/** Up for what the service needs, then its depends_on conditions met (docker compose's waitDependencies). */
async function startDependencies(
  engine: EngineApi,
  project: Project,
  opts: RunOptions,
  io: UpIo,
): Promise<void> {
  const deps = projectGraph(project.services)
    .withDependencies([opts.service])
    .filter((s) => s !== opts.service);
  if (deps.length > 0) {
    await up(
      engine,
      project,
      {
        create: {
          services: deps,
          recreate: 'diverged',
          recreateDependencies: 'diverged',
          removeOrphans: opts.removeOrphans,
          pull: opts.pull,
        },
        start: {},
      },
      io,
    );
  }
  const dependsOn = project.services[opts.service].dependsOn ?? {};
  if (Object.keys(dependsOn).length === 0) return;
  const running = await projectContainers(engine, project.name, {
    all: true,
    services: Object.keys(dependsOn),
  });
  await Promise.all(
    running.map((c) => {
      const dep = dependsOn[serviceOf(c)];
      return dep
        ? waitForCondition(engine, containerName(c), dep.condition, { signal: io.signal })
        : undefined;
    }),
  );
}

/** applyRunOptions: the service as the one-off runs it. */
export function runService(service: ServiceConfig, opts: RunOptions): ServiceConfig {
  const capAdd = [...(service.capAdd ?? []), ...(opts.capAdd ?? [])].filter(
    (c) => !opts.capDrop?.includes(c),
  );
  const capDrop = [...(service.capDrop ?? []), ...(opts.capDrop ?? [])].filter(
    (c) => !opts.capAdd?.includes(c),
  );
  const ports = opts.ports === 'none' ? undefined : opts.ports === 'service' ? service.ports : opts.ports;
  return {
    ...service,
    tty: opts.tty,
    stdinOpen: opts.interactive,
    containerName: undefined,
    command: opts.command?.length ? opts.command : opts.entrypoint ? [] : service.command,
    entrypoint: opts.entrypoint ?? service.entrypoint,
    user: opts.user || service.user,
    workingDir: opts.workingDir || service.workingDir,
    capAdd: capAdd.length ? capAdd : undefined,
    capDrop: capDrop.length ? capDrop : undefined,
    environment: opts.environment ? { ...service.environment, ...opts.environment } : service.environment,
    labels: opts.labels ? { ...service.labels, ...opts.labels } : service.labels,
    ports: ports?.length ? ports : undefined,
    volumes: opts.volumes?.length ? [...(service.volumes ?? []), ...opts.volumes] : service.volumes,
    restart: undefined,
    deploy: service.deploy ? { ...service.deploy, restartPolicy: undefined } : undefined,
  };
}
