/**
 * What the engine keeps of a container (`containers/<id>.json`), and the Docker shapes made from
 * it: inspect, list summary, status text.
 */
import type { ContainerSpec, MountSpec } from '../runtime/spec';
import type {
  ContainerConfig,
  ContainerInspect,
  ContainerState,
  ContainerSummary,
  HostConfig,
  MountPointInspect,
  SummaryPort,
} from '../../engine-api/container/types';
import type { NetworkSettings } from '../../engine-api/network/types';
import type { LogDropped } from '../logs/json-file';
import { humanDuration } from '../../common/human-duration';

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface ContainerRecord {
  id: string;
  /** The schema of this record (`container-index.ts`): older ones are migrated at load. */
  version: number;
  name: string;
  created: string;
  /** The reference the user gave (`busybox`), and the image ID it resolved to. */
  image: string;
  imageId: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  state: ContainerState;
  restartCount: number;
  logPath: string;
  /** Built and checked at create, so a start cannot fail on the user's input. */
  spec: ContainerSpec;
  /** PID 1's start time while it runs: a recycled pid is never taken for it. */
  pidStartTime?: number;
  /** Stopped or killed by a user: no restart policy applies until the next start. */
  stoppedByUser?: boolean;
  /** Output its log could not store (a full disk), over its runs before the current one. */
  logDropped?: LogDropped;
}

export function addDropped(a: LogDropped | undefined, b: LogDropped): LogDropped {
  return { Lines: (a?.Lines ?? 0) + b.Lines, Bytes: (a?.Bytes ?? 0) + b.Bytes };
}

export function initialState(): ContainerState {
  return {
    Status: 'created',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
  };
}

export function toInspect(r: ContainerRecord): ContainerInspect {
  const [path, ...args] = r.spec.process.args;
  return {
    Id: r.id,
    Created: r.created,
    Path: path ?? '',
    Args: args,
    State: r.state,
    Image: r.imageId,
    Name: `/${r.name}`,
    RestartCount: r.restartCount,
    LogPath: r.logPath,
    // Ours (dockerd has none): shown only once something was dropped, so inspect stays docker's otherwise.
    ...(r.logDropped ? { LogDropped: r.logDropped } : {}),
    Config: r.config,
    HostConfig: r.hostConfig,
    Mounts: r.spec.mounts.filter((m) => m.type === 'bind').map(mountPointOf),
  };
}

const PROPAGATIONS = ['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'];

/** Docker's inspect entry of a bind or a volume. */
function mountPointOf(m: MountSpec): MountPointInspect {
  const RW = !m.options.includes('ro');
  if (m.volume) {
    return {
      Type: 'volume',
      Name: m.volume.name,
      Source: m.source,
      Destination: m.target,
      Driver: 'local',
      Mode: m.volume.mode,
      RW,
      Propagation: '',
    };
  }
  const Propagation = m.options.find((o) => PROPAGATIONS.includes(o)) ?? 'rprivate';
  return { Type: 'bind', Source: m.source, Destination: m.target, Mode: '', RW, Propagation };
}

export function statusText(state: ContainerState, now = Date.now()): string {
  const since = (t: string): string => humanDuration(now - Date.parse(t));
  switch (state.Status) {
    case 'running':
      // docker's: `Up 5 seconds (healthy)`, `(health: starting)`, `(unhealthy)`
      if (state.Health)
        return `Up ${since(state.StartedAt)} (${state.Health.Status === 'starting' ? 'health: starting' : state.Health.Status})`;
      return `Up ${since(state.StartedAt)}`;
    case 'paused':
      return `Up ${since(state.StartedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
    case 'exited':
      return state.FinishedAt === ZERO_TIME
        ? 'Exited'
        : `Exited (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}

/** `settings`: the container's network settings now (networks off: none). */
export function toSummary(
  r: ContainerRecord,
  now = Date.now(),
  settings?: Pick<NetworkSettings, 'Ports' | 'Networks'>,
): ContainerSummary {
  return {
    Id: r.id,
    Names: [`/${r.name}`],
    Image: r.image,
    ImageID: r.imageId,
    Command: r.spec.process.args.join(' '), // unquoted, as moby joins Path and Args
    Created: Math.floor(Date.parse(r.created) / 1000),
    State: r.state.Status,
    Status: statusText(r.state, now),
    // A copy: the record may be the index's own, and a summary is the caller's.
    Labels: { ...r.config.Labels },
    Ports: summaryPorts(settings?.Ports ?? {}),
    Mounts: r.spec.mounts.filter((m) => m.type === 'bind').map(mountPointOf),
    HostConfig: { NetworkMode: r.hostConfig.NetworkMode ?? '' },
    NetworkSettings: { Networks: settings?.Networks ?? {} },
  };
}

/** Docker's list form of the port map: one entry per host binding, one for a port only exposed. */
function summaryPorts(ports: NetworkSettings['Ports']): SummaryPort[] {
  const out: SummaryPort[] = [];
  for (const [key, bindings] of Object.entries(ports)) {
    const [port, proto = 'tcp'] = key.split('/');
    const PrivatePort = Number(port);
    if (!bindings?.length) out.push({ PrivatePort, Type: proto });
    for (const b of bindings ?? [])
      out.push({ IP: b.HostIp || '0.0.0.0', PrivatePort, PublicPort: Number(b.HostPort), Type: proto });
  }
  return out.sort((a, b) => a.PrivatePort - b.PrivatePort || (a.PublicPort ?? 0) - (b.PublicPort ?? 0));
}
