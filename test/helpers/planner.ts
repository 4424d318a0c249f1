/**
 * The planner's golden tests: a compose file loaded by the real loader from a string, and
 * observed states written by hand from a few container records made the way the compose
 * service labels them (so "up to date" means what it means on a real engine).
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { loadProject, type Project } from '../../src/compose-model/loader';
import { LABEL } from '../../src/planner/labels';
import { containerName, serviceImage } from '../../src/planner/names';
import type { Observed, ObservedContainer } from '../../src/planner/observed';
import { projectServiceHash } from '../../src/planner/recreate';
import { serviceNetworkKeys, serviceVolumeKeys } from '../../src/planner/up-resources';

export function loadYaml(yaml: string): Project {
  return loadProject({ workingDir: os.tmpdir(), configFiles: ['-'], stdin: yaml, environment: {} });
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The id the engine has for an image reference (a different `digest` makes a different id). */
export const imageId = (ref: string, digest = ''): string => `sha256:${sha(ref + digest)}`;

/** A container of `service` as `up` made it from `project`: labelled, attached, running. */
export function container(
  project: Project,
  service: string,
  number: number,
  over: Partial<ObservedContainer> = {},
): ObservedContainer {
  const s = project.services[service];
  const name = containerName(project.name, s, number);
  return {
    id: sha(name),
    name,
    service,
    number,
    oneoff: false,
    state: 'running',
    imageId: imageId(serviceImage(project.name, s)),
    labels: {
      [LABEL.project]: project.name,
      [LABEL.service]: service,
      [LABEL.containerNumber]: String(number),
      [LABEL.oneoff]: 'False',
      [LABEL.configHash]: projectServiceHash(project, service),
      ...(s.dependsOn
        ? {
            [LABEL.dependsOn]: Object.entries(s.dependsOn)
              .map(([d, c]) => `${d}:${c.condition}:${c.restart ?? false}`)
              .join(','),
          }
        : {}),
    },
    networks: serviceNetworkKeys(s).map((k) => project.networks[k].name),
    volumes: serviceVolumeKeys(s).map((k) => project.volumes[k].name),
    ...over,
  };
}

/** What is on the engine right after `up` of `project`: one running container per service. */
export function upToDate(project: Project): Observed {
  const ours = { [LABEL.project]: project.name };
  return {
    containers: Object.keys(project.services)
      .sort()
      .map((s) => container(project, s, 1)),
    networks: Object.entries(project.networks)
      .filter(([, n]) => !n.external)
      .map(([key, n]) => ({ id: sha(n.name), name: n.name, labels: { ...ours, [LABEL.network]: key } })),
    volumes: Object.entries(project.volumes)
      .filter(([, v]) => !v.external)
      .map(([key, v]) => ({ name: v.name, labels: { ...ours, [LABEL.volume]: key } })),
    images: Object.fromEntries(
      Object.values(project.services).map((s) => [
        serviceImage(project.name, s),
        imageId(serviceImage(project.name, s)),
      ]),
    ),
  };
}
