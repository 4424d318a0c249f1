/**
 * The container wire types: a subset of the Docker Engine API (v1.41 field names and shapes), so
 * the real `docker` CLI and dockerode can talk to the engine. Only what the engine implements is
 * declared; every field is optional where Docker's is.
 */

import type { EndpointSettings, NetworkingConfig, NetworkSettings } from '../network/types';

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; CreateMountpoint?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  /** NoCopy: no copy-up; Labels: those of a volume made for this mount. */
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string> };
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'on-failure' | 'unless-stopped';
  MaximumRetryCount?: number;
}

export interface HostConfig {
  /** `src:dst[:ro|rw]`, as `docker run -v`. */
  Binds?: string[];
  /** `<container>[:ro|:rw]`: its volumes and binds, mounted where it has them. */
  VolumesFrom?: string[];
  Mounts?: MountPoint[];
  /** path → mount options (`size=64m,mode=1777`), as `--tmpfs`. */
  Tmpfs?: Record<string, string>;
  /** 'none' | 'host' | 'bridge' | '<network name or id>' | 'container:<name or id>'. */
  NetworkMode?: string;
  /** `"80/tcp"` → host bindings (`HostPort` empty: a random one), as `-p`. */
  PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  /** `-P`: every exposed port gets a random host port. */
  PublishAllPorts?: boolean;
  AutoRemove?: boolean;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  /** 'no-new-privileges[:true|false]', 'seccomp=unconfined', 'seccomp=<JSON profile text>'. */
  SecurityOpt?: string[];
  Init?: boolean;
  Ulimits?: Ulimit[];
  Sysctls?: Record<string, string>;
  ShmSize?: number;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit?: number;
  OomKillDisable?: boolean;
  RestartPolicy?: RestartPolicy;
  IpcMode?: string;
  GroupAdd?: string[];
  ExtraHosts?: string[];
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  LogConfig?: { Type: string; Config?: Record<string, string> };
  /** [height, width] of the terminal of a Tty container from its first moment (API 1.42). */
  ConsoleSize?: [number, number];
}

/** Durations in nanoseconds, as the Docker API sends them. Test: ["NONE"] | ["CMD", ...] | ["CMD-SHELL", "..."]. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  /** The last 5 probes. */
  Log: HealthLogEntry[];
}

/** The container's own config (docker inspect .Config). */
export interface ContainerConfig {
  /** `"80/tcp"` → `{}`: the ports `-P` publishes. */
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: HealthConfig;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[] | null;
  Image: string;
  /** Paths that get an anonymous volume each (`-v /path`). */
  Volumes?: Record<string, object>;
  Labels?: Record<string, string>;
  WorkingDir?: string;
  StopSignal?: string;
  StopTimeout?: number;
  Tty?: boolean;
  OpenStdin?: boolean;
  /** Close stdin once the attached client that started with it closes its own. */
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
}

/** POST /containers/create?name=… */
export interface ContainerCreateBody extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: NetworkingConfig;
}

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[];
}

export type ContainerStatus =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: HealthState;
}

/** GET /containers/{id}/json */
export interface ContainerInspect {
  Id: string;
  /** With `size`: the bytes of its writable layer, and of that and its image together. */
  SizeRw?: number;
  SizeRootFs?: number;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  Name: string;
  RestartCount: number;
  LogPath: string;
  /** tscompose's own: container output its log could not store (a full disk), once there is any. */
  LogDropped?: { Lines: number; Bytes: number };
  Config: ContainerConfig;
  HostConfig: HostConfig;
  Mounts: MountPointInspect[];
  NetworkSettings?: NetworkSettings;
}

/** One of inspect's Mounts, as docker shows it (Name and Driver for a volume only). */
export interface MountPointInspect {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/** GET /containers/json?all=1&filters={"label":["k=v"],"name":["n"],"status":["running"]} */
export interface ContainerSummary {
  Id: string;
  /** With `size` (`ps -s`): as in ContainerInspect. */
  SizeRw?: number;
  SizeRootFs?: number;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  State: ContainerStatus;
  /** Docker's human text: 'Up 3 seconds', 'Exited (0) 2 minutes ago', 'Created'. */
  Status: string;
  Labels: Record<string, string>;
  /** Published ports with their host side, exposed ones without (docker's `ps` PORTS column). */
  Ports: SummaryPort[];
  Mounts: MountPointInspect[];
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, EndpointSettings> };
}

export interface SummaryPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

/** POST /containers/{id}/wait?condition=not-running|next-exit|removed */
export interface ContainerWaitResponse {
  StatusCode: number;
  Error?: { Message: string };
}

/** GET /containers/{id}/top?ps_args=… */
export interface ContainerTopResponse {
  Titles: string[];
  Processes: string[][];
}

/** GET /containers/{id}/logs query, parsed. */
export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Unix seconds (fractions allowed); 0 = no bound. */
  since?: number;
  until?: number;
  timestamps?: boolean;
  /** 'all' or a number of lines from the end. */
  tail?: string;
}

/** POST /containers/{id}/update: docker's Resources (zero: unchanged) and a restart policy. */
export interface ContainerUpdateBody {
  CpuShares?: number;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  /** Any value replaces the old one; 0 or less is no limit. */
  PidsLimit?: number;
  BlkioWeight?: number;
  RestartPolicy?: RestartPolicy;
}

/** The update body's resources, by their JSON type: what the server checks and the core merges. */
export const UPDATE_NUMBER_KEYS = [
  'CpuShares',
  'Memory',
  'MemorySwap',
  'MemoryReservation',
  'NanoCpus',
  'CpuPeriod',
  'CpuQuota',
  'PidsLimit',
  'BlkioWeight',
] as const;
export const UPDATE_STRING_KEYS = ['CpusetCpus', 'CpusetMems'] as const;

export interface ContainerUpdateResponse {
  Warnings: string[];
}

/** POST /containers/prune */
export interface ContainersPruneResponse {
  ContainersDeleted: string[];
  SpaceReclaimed: number;
}
