/**
 * The compose keys the engine cannot honour yet. docker compose passes each of them to dockerd;
 * dropping one silently would start a container that looks right and is not (a shared PID
 * namespace missing, a device absent, a secret never written), so a service that uses one is
 * refused before anything is created, naming the keys. Keys that only tune (weights, scores)
 * are not listed here: convert drops those with a warning instead.
 */
import { NotImplementedError } from '../common/errors';
import type { Project } from '../compose-model/types';
import type { ServiceConfig } from '../compose-model/project-types';

type Check = [key: string, used: (s: ServiceConfig, p: Project) => boolean];

const set = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

const CHECKS: Check[] = [
  ['pid', (s) => set(s.pid)],
  ['uts', (s) => set(s.uts)],
  ['cgroup: host', (s) => s.cgroup === 'host'],
  ['userns_mode', (s) => set(s.usernsMode)],
  ['devices', (s) => set(s.devices)],
  ['device_cgroup_rules', (s) => set(s.deviceCgroupRules)],
  ['gpus', (s) => set(s.gpus)],
  ['deploy.resources.reservations.devices', (s) => set(s.deploy?.resources?.reservations?.devices)],
  ['cgroup_parent', (s) => set(s.cgroupParent)],
  ['runtime', (s) => set(s.runtime) && s.runtime !== 'runc'],
  ['external_links', (s) => set(s.externalLinks)],
  // A link is only a name on the network, which every service already has; an alias is not.
  [
    'links with an alias',
    (s) => (s.links ?? []).some((l) => l.includes(':') && l.split(':')[1] !== l.split(':')[0]),
  ],
  ['security_opt systempaths=unconfined', (s) => (s.securityOpt ?? []).includes('systempaths=unconfined')],
  ['volumes of type image', (s) => (s.volumes ?? []).some((v) => v.type === 'image')],
  [
    'volumes of type npipe or cluster',
    (s) => (s.volumes ?? []).some((v) => v.type === 'npipe' || v.type === 'cluster'),
  ],
  ['volume subpath', (s) => (s.volumes ?? []).some((v) => set(v.volume?.subpath))],
  [
    'bind recursive',
    (s) => (s.volumes ?? []).some((v) => set(v.bind?.recursive) && v.bind?.recursive !== 'enabled'),
  ],
  // docker compose copies these into the container after create (an archive upload).
  [
    'secrets from environment',
    (s, p) => (s.secrets ?? []).some((r) => set(p.secrets[r.source]?.environment)),
  ],
  [
    'configs from content or environment',
    (s, p) =>
      (s.configs ?? []).some(
        (r) => set(p.configs[r.source]?.content) || set(p.configs[r.source]?.environment),
      ),
  ],
  [
    'external secrets or configs',
    (s, p) =>
      [
        ...(s.secrets ?? []).map((r) => p.secrets[r.source]),
        ...(s.configs ?? []).map((r) => p.configs[r.source]),
      ].some((r) => r?.external === true),
  ],
  ['use_api_socket', (s) => s.useApiSocket === true],
  ['networks.*.interface_name', (s) => Object.values(s.networks ?? {}).some((n) => set(n?.interfaceName))],
];

export function refuseUnsupported(project: Project, service: ServiceConfig): void {
  const used = CHECKS.filter(([, test]) => test(service, project)).map(([key]) => key);
  if (used.length === 0) return;
  throw new NotImplementedError(
    `service "${service.name}" uses what the tscompose engine does not support yet: ${used.join(', ')}`,
    { code: 'UNSUPPORTED_COMPOSE_KEY' },
  );
}
