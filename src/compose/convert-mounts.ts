/**
 * A service's `volumes`, `tmpfs`, file-based `secrets`/`configs` and `volumes_from` as the
 * engine's HostConfig mounts (docker compose's buildContainerVolumes). Every mount is a Mount
 * object, none a `Binds` string: docker compose uses Binds only so that dockerd creates a missing
 * host directory, which the Mount API's CreateMountpoint asks for explicitly here.
 */
import type { Project } from '../compose-model/types';
import type { ServiceConfig, ServiceVolumeConfig } from '../compose-model/project-types';
import type { HostConfig, MountPoint } from '../engine-api/container/types';

export type ContainerOf = (service: string) => string;

export function mountsOf(project: Project, service: ServiceConfig, containerOf: ContainerOf): HostConfig {
  const mounts = (service.volumes ?? []).map((v) => mount(project, v));
  const taken = new Set(mounts.map((m) => m.Target));
  // A volume at the same target wins over a secret or config, as in docker compose's fillBindMounts.
  for (const m of [...secretMounts(project, service), ...configMounts(project, service)]) {
    if (taken.has(m.Target)) continue;
    taken.add(m.Target);
    mounts.push(m);
  }
  return {
    Mounts: mounts.length ? mounts : undefined,
    Tmpfs: service.tmpfs?.length ? tmpfsMap(service.tmpfs) : undefined,
    VolumesFrom: service.volumesFrom?.map((v) => volumesFrom(v, containerOf)),
  };
}

function mount(project: Project, v: ServiceVolumeConfig): MountPoint {
  const Target = v.target ?? '';
  const ReadOnly = v.readOnly || undefined;
  switch (v.type) {
    case 'bind':
      return {
        Type: 'bind',
        Source: v.source,
        Target,
        ReadOnly,
        BindOptions: {
          Propagation: v.bind?.propagation,
          // docker compose sends a bind without `create_host_path: false` as a Binds string,
          // for which dockerd makes a missing host directory.
          CreateMountpoint: v.bind?.createHostPath !== false || undefined,
        },
      };
    case 'tmpfs':
      return {
        Type: 'tmpfs',
        Target,
        ReadOnly,
        TmpfsOptions: v.tmpfs ? { SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode } : undefined,
      };
    default: {
      // A declared volume by its engine name (`<project>_<key>` or `name:`); no source: anonymous.
      const Source = v.source ? (project.volumes[v.source]?.name ?? v.source) : undefined;
      const labels = v.volume?.labels && Object.keys(v.volume.labels).length ? v.volume.labels : undefined;
      return {
        Type: 'volume',
        Source,
        Target,
        ReadOnly,
        VolumeOptions:
          v.volume?.nocopy || labels ? { NoCopy: v.volume?.nocopy || undefined, Labels: labels } : undefined,
      };
    }
  }
}

/** `/run:size=64m` → `{"/run": "size=64m"}`, as `--tmpfs`. */
function tmpfsMap(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const colon = e.indexOf(':');
    if (colon < 0) out[e] = '';
    else out[e.slice(0, colon)] = e.slice(colon + 1);
  }
  return out;
}

/** `service[:ro|rw]` → its first container; `container:<name>[:mode]` → that container. */
function volumesFrom(entry: string, containerOf: ContainerOf): string {
  if (entry.startsWith('container:')) return entry.slice('container:'.length);
  const [svc, mode] = entry.split(':');
  return mode ? `${containerOf(svc)}:${mode}` : containerOf(svc);
}

/**
 * File secrets read-only under /run/secrets, as docker compose binds them (uid, gid and mode are
 * ignored there too: a bind mount keeps the file's own).
 */
function secretMounts(project: Project, service: ServiceConfig): MountPoint[] {
  return (service.secrets ?? []).flatMap((ref) => {
    const file = project.secrets[ref.source]?.file;
    if (!file) return [];
    const target = ref.target ?? ref.source;
    return [
      {
        Type: 'bind' as const,
        Source: file,
        Target: target.startsWith('/') ? target : `/run/secrets/${target}`,
        ReadOnly: true,
      },
    ];
  });
}

/** File configs read-only at `/<name>` unless given a target. */
function configMounts(project: Project, service: ServiceConfig): MountPoint[] {
  return (service.configs ?? []).flatMap((ref) => {
    const file = project.configs[ref.source]?.file;
    if (!file) return [];
    const target = ref.target ?? ref.source;
    return [
      {
        Type: 'bind' as const,
        Source: file,
        Target: target.startsWith('/') ? target : `/${target}`,
        ReadOnly: true,
      },
    ];
  });
}
