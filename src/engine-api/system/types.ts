/** The system wire types, as the Docker Engine API's. */
import type { ContainerSummary } from '../container/types';
import type { ImageSummary } from '../image/api';
import type { Volume } from '../volume/types';

/** GET /version; BuildId is tscompose's own addition (the CLI restarts a stale daemon). */
export interface VersionResponse {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildId: string;
}

/** Error bodies, as Docker's: `{"message": "..."}` with a 4xx/5xx status. */
export interface ErrorResponse {
  message: string;
}

/**
 * GET /info: docker's `system.Info` fields (API 1.41) for what the engine has; Go-only ones
 * (goroutines) are plain counts of ours, and what the engine lacks (swarm, containerd, runc)
 * is answered as docker answers for it being off.
 */
export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  DriverStatus: [string, string][];
  Plugins: { Volume: string[]; Network: string[]; Authorization: string[] | null; Log: string[] };
  MemoryLimit: boolean;
  SwapLimit: boolean;
  KernelMemory: boolean;
  KernelMemoryTCP: boolean;
  CpuCfsPeriod: boolean;
  CpuCfsQuota: boolean;
  CPUShares: boolean;
  CPUSet: boolean;
  PidsLimit: boolean;
  IPv4Forwarding: boolean;
  BridgeNfIptables: boolean;
  BridgeNfIp6tables: boolean;
  Debug: boolean;
  NFd: number;
  OomKillDisable: boolean;
  NGoroutines: number;
  SystemTime: string;
  LoggingDriver: string;
  CgroupDriver: string;
  CgroupVersion: string;
  NEventsListener: number;
  KernelVersion: string;
  OperatingSystem: string;
  OSVersion: string;
  OSType: string;
  Architecture: string;
  IndexServerAddress: string;
  RegistryConfig: {
    AllowNondistributableArtifactsCIDRs: string[];
    AllowNondistributableArtifactsHostnames: string[];
    InsecureRegistryCIDRs: string[];
    IndexConfigs: Record<string, { Name: string; Mirrors: string[]; Secure: boolean; Official: boolean }>;
    Mirrors: string[];
  };
  NCPU: number;
  MemTotal: number;
  GenericResources: null;
  DockerRootDir: string;
  HttpProxy: string;
  HttpsProxy: string;
  NoProxy: string;
  Name: string;
  Labels: string[];
  ExperimentalBuild: boolean;
  ServerVersion: string;
  Runtimes: Record<string, { path: string }>;
  DefaultRuntime: string;
  Swarm: {
    NodeID: string;
    NodeAddr: string;
    LocalNodeState: 'inactive';
    ControlAvailable: boolean;
    Error: string;
    RemoteManagers: null;
  };
  LiveRestoreEnabled: boolean;
  Isolation: string;
  InitBinary: string;
  SecurityOptions: string[];
  Warnings: string[] | null;
}

/** GET /system/df: what the images, containers, volumes (and the build cache, none here) hold. */
export interface DiskUsage {
  LayersSize: number;
  /** ImageSummary with Containers and SharedSize counted. */
  Images: ImageSummary[];
  Containers: (ContainerSummary & { SizeRw: number; SizeRootFs: number })[];
  Volumes: (Volume & { UsageData: { Size: number; RefCount: number } })[];
  BuildCache: null;
  BuilderSize: number;
}

/** POST /build/prune: the engine keeps no build cache, so nothing is ever deleted. */
export interface BuildCachePruneResponse {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}
