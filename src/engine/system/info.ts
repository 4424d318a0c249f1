/**
 * `GET /info` with docker's fields (API 1.41) for what the engine has: its containers by state,
 * its images, the overlay2 driver on the state root's file system, the cgroup driver and
 * version, the host's kernel, OS, CPUs and memory. Swarm is inactive, as on a dockerd that never
 * joined one.
 */
import os from 'node:os';
import { cgroupDriver } from '../runtime/cgroups';
import type { EngineConfig } from '../engine-config';
import type { ContainerSummary } from '../../engine-api/container/types';
import type { SystemInfo } from '../../engine-api/system/types';
import { backingFilesystem, openDescriptors, osRelease, proxyEnv, sysctlOn } from './host-facts';

export interface InfoSources {
  id: string;
  root: string;
  version: string;
  config: EngineConfig;
  containers: ContainerSummary[];
  imageCount: number;
  logDriver: string;
}

function cgroupVersion(): string {
  try {
    return cgroupDriver().mode === 'v2' ? '2' : '1';
  } catch {
    return '';
  }
}

export function systemInfo(s: InfoSources): SystemInfo {
  const containers = s.containers;
  const count = (...states: string[]): number => containers.filter((c) => states.includes(c.State)).length;
  const running = count('running', 'restarting');
  const paused = count('paused');
  const release = osRelease();
  const insecure = s.config['insecure-registries'] ?? [];
  return {
    ID: s.id,
    Containers: containers.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: containers.length - running - paused,
    Images: s.imageCount,
    Driver: 'overlay2',
    DriverStatus: [
      ['Backing Filesystem', backingFilesystem(s.root)],
      ['Supports d_type', 'true'],
      ['Native Overlay Diff', 'true'],
      ['userxattr', 'false'],
    ],
    Plugins: {
      Volume: ['local'],
      Network: ['bridge', 'host', 'null'],
      Authorization: null,
      Log: ['json-file', 'local'],
    },
    MemoryLimit: true,
    SwapLimit: true,
    KernelMemory: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: sysctlOn('net.ipv4.ip_forward'),
    BridgeNfIptables: sysctlOn('net.bridge.bridge-nf-call-iptables'),
    BridgeNfIp6tables: sysctlOn('net.bridge.bridge-nf-call-ip6tables'),
    Debug: false,
    NFd: openDescriptors(),
    OomKillDisable: cgroupVersion() === '1',
    NGoroutines: process.getActiveResourcesInfo().length,
    SystemTime: new Date().toISOString(),
    LoggingDriver: s.logDriver,
    CgroupDriver: 'cgroupfs',
    CgroupVersion: cgroupVersion(),
    NEventsListener: 0,
    KernelVersion: os.release(),
    OperatingSystem: release.name,
    OSVersion: release.version,
    OSType: 'linux',
    Architecture: os.machine(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: ['127.0.0.0/8'],
      IndexConfigs: Object.fromEntries([
        ['docker.io', { Name: 'docker.io', Mirrors: [], Secure: true, Official: true }],
        ...insecure.map((h) => [h, { Name: h, Mirrors: [], Secure: false, Official: false }]),
      ]),
      Mirrors: [],
    },
    NCPU: os.availableParallelism(),
    MemTotal: os.totalmem(),
    GenericResources: null,
    DockerRootDir: s.root,
    HttpProxy: proxyEnv('HTTP_PROXY'),
    HttpsProxy: proxyEnv('HTTPS_PROXY'),
    NoProxy: proxyEnv('NO_PROXY'),
    Name: os.hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: s.version,
    // No runc: the engine starts containers itself; this names what does.
    Runtimes: { tscompose: { path: process.execPath } },
    DefaultRuntime: 'tscompose',
    Swarm: {
      NodeID: '',
      NodeAddr: '',
      LocalNodeState: 'inactive',
      ControlAvailable: false,
      Error: '',
      RemoteManagers: null,
    },
    // Containers outlive the daemon and are adopted again: what live-restore means.
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: 'tini-static',
    SecurityOptions: ['name=seccomp,profile=default', ...(cgroupVersion() === '2' ? ['name=cgroupns'] : [])],
    Warnings: null,
  };
}
