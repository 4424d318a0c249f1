/**
 * A typed service → the engine's container create body and name: the twin of docker compose's
 * getCreateConfigs. The conversion decides nothing (the planner does); it only writes what the
 * compose file says in the Engine API's words, with the labels that make the container the
 * project's (ARCHITECTURE.md rule 4).
 */
import type { Project } from '../compose-model/types';
import type { ServiceConfig } from '../compose-model/project-types';
import type { ContainerCreateBody, HealthConfig } from '../engine-api/container/types';
import { exposedKey } from '../engine-api/container/ports';
import { COMPOSE_LABEL_VERSION, LABEL } from '../planner/labels';
import { containerName, serviceImage } from '../planner/names';
import { projectServiceHash } from '../planner/recreate';
import { hostConfigOf } from './convert-host-config';
import { mountsOf } from './convert-mounts';
import { namespaceMode, networkSetup } from './convert-networks';
import { refuseUnsupported } from './convert-unsupported';

export interface ContainerCreateOptions {
  /** The name to create it under (a recreate makes the new one beside the old); default the service's. */
  name?: string;
  /** A `run` container: `oneoff` "True", no container number. */
  oneoff?: boolean;
  /** A one-off's `com.docker.compose.slug`. */
  slug?: string;
  /** The image id the service's image names now: the `com.docker.compose.image` label. */
  imageId?: string;
  /** The container a recreate replaces: the `com.docker.compose.replace` label. */
  replaces?: string;
  /**
   * Service x's container, for `service:x` in network_mode and ipc and for `volumes_from: [x]`:
   * the observed or planned one. Default: x's first container by name.
   */
  containerOf?: (service: string) => string | undefined;
  /** `run --label`: over the service's own labels. */
  labels?: Record<string, string>;
  /** Service name and `aliases` on each network (default true; `run` without --use-aliases: false). */
  useNetworkAliases?: boolean;
  /** `run --rm`. */
  autoRemove?: boolean;
  /** `run` attached to stdin. */
  attachStdin?: boolean;
}

export interface ContainerCreation {
  name: string;
  body: ContainerCreateBody;
  /** What the conversion dropped (a tuning key the engine lacks), for the caller to print. */
  warnings: string[];
}

export function containerCreateBody(
  project: Project,
  service: ServiceConfig,
  number: number,
  opts: ContainerCreateOptions = {},
): ContainerCreation {
  refuseUnsupported(project, service);
  const warnings: string[] = [];
  const containerOf = (name: string): string => {
    const found = opts.containerOf?.(name);
    if (found) return found;
    const other = project.services[name];
    return other ? containerName(project.name, other, 1) : `${project.name}-${name}-1`;
  };
  const net = networkSetup(project, service, containerOf, opts.useNetworkAliases !== false);
  const stdinOpen = service.stdinOpen === true;
  const body: ContainerCreateBody = {
    Image: imageOf(project, service),
    Cmd: service.command,
    Entrypoint: service.entrypoint,
    Env: envList(service),
    Labels: labelsOf(project, service, number, opts),
    WorkingDir: service.workingDir,
    User: service.user,
    Hostname: service.hostname,
    Domainname: service.domainname,
    Tty: service.tty,
    OpenStdin: service.stdinOpen,
    StdinOnce: (opts.attachStdin && stdinOpen) || undefined,
    AttachStdin: opts.attachStdin,
    AttachStdout: true,
    AttachStderr: true,
    StopSignal: service.stopSignal,
    StopTimeout:
      service.stopGracePeriod === undefined ? undefined : Math.floor(service.stopGracePeriod / 1e9),
    Healthcheck: healthcheckOf(service),
    ExposedPorts: exposedPorts(service),
    HostConfig: {
      ...hostConfigOf(service, project.workingDir, warnings),
      ...mountsOf(project, service, containerOf),
      PortBindings: portBindings(service),
      IpcMode: namespaceMode(service.ipc, containerOf),
      NetworkMode: net.NetworkMode,
      AutoRemove: opts.autoRemove,
    },
    NetworkingConfig: net.NetworkingConfig,
  };
  return { name: opts.name ?? containerName(project.name, service, number), body, warnings };
}

/** api.GetImageNameOrDefault: a service with only `build:` gets `<project>-<service>`. */
export function imageOf(project: Project, service: ServiceConfig): string {
  return serviceImage(project.name, service);
}

/** The resolved environment as KEY=VALUE, sorted; a variable named but unset is left out. */
function envList(service: ServiceConfig): string[] | undefined {
  const env = service.environment;
  if (!env) return undefined;
  const out = Object.keys(env)
    .sort()
    .flatMap((k) => (env[k] === null ? [] : [`${k}=${env[k]}`]));
  return out.length ? out : undefined;
}

/** The service's labels, then docker compose's own (which a user's cannot override). */
export function labelsOf(
  project: Project,
  service: ServiceConfig,
  number: number,
  opts: ContainerCreateOptions = {},
): Record<string, string> {
  const labels: Record<string, string> = { ...service.labels, ...opts.labels };
  labels[LABEL.project] = project.name;
  labels[LABEL.service] = service.name;
  labels[LABEL.version] = COMPOSE_LABEL_VERSION;
  labels[LABEL.workingDir] = project.workingDir;
  labels[LABEL.configFiles] = project.configFiles.join(',');
  if (project.envFiles.length) labels[LABEL.environmentFile] = project.envFiles.join(',');
  labels[LABEL.oneoff] = opts.oneoff ? 'True' : 'False';
  if (!opts.oneoff) labels[LABEL.containerNumber] = String(number);
  if (opts.slug) labels[LABEL.slug] = opts.slug;
  labels[LABEL.configHash] = serviceHash(project, service.name);
  labels[LABEL.dependsOn] = Object.keys(service.dependsOn ?? {})
    .sort()
    .map((dep) => {
      const d = (service.dependsOn ?? {})[dep];
      return `${dep}:${d.condition}:${d.restart === true}`;
    })
    .join(',');
  if (opts.imageId) labels[LABEL.image] = opts.imageId;
  if (opts.replaces) labels[LABEL.replace] = opts.replaces;
  return labels;
}

/** The config hash of a service as the normalized model has it (the hash `config --hash` prints). */
export const serviceHash = projectServiceHash;

function healthcheckOf(service: ServiceConfig): HealthConfig | undefined {
  const h = service.healthcheck;
  if (!h) return undefined;
  if (h.disable) return { Test: ['NONE'] };
  return {
    Test: h.test,
    Interval: h.interval,
    Timeout: h.timeout,
    Retries: h.retries,
    StartPeriod: h.startPeriod,
    StartInterval: h.startInterval,
  };
}

const portKey = (target: number, protocol: string | undefined): string => `${target}/${protocol || 'tcp'}`;

/** `expose` and the targets of `ports`, as `80/tcp` keys. */
function exposedPorts(service: ServiceConfig): ContainerCreateBody['ExposedPorts'] {
  const keys = [
    ...(service.expose ?? []).flatMap((e) => exposedKey(e)),
    ...(service.ports ?? []).map((p) => portKey(p.target, p.protocol)),
  ];
  if (keys.length === 0) return undefined;
  return Object.fromEntries([...new Set(keys)].map((k) => [k, {}]));
}

/** Each `ports` entry a binding of its target; no published port: the engine picks one. */
function portBindings(
  service: ServiceConfig,
): Record<string, { HostIp?: string; HostPort?: string }[]> | undefined {
  if (!service.ports?.length) return undefined;
  const out: Record<string, { HostIp?: string; HostPort?: string }[]> = {};
  for (const p of service.ports) {
    (out[portKey(p.target, p.protocol)] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: p.published ?? '' });
  }
  return out;
}
