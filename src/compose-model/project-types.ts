/**
 * The typed compose project, as compose-go's `types` package has it: what the loader's last
 * stage (typed.ts) makes of the normalized tree. Units are parsed: sizes are bytes, durations
 * nanoseconds, cpus a number of cores, `restart` a policy. Field names are the YAML keys in
 * camelCase; `typed-fields.test.ts` holds them to schemas/compose-spec.json.
 */

export type Extensions = Record<string, unknown>;
export type StringMap = Record<string, string>;
/** `null`: the variable is named but unset (`environment: [FOO]` with no FOO around). */
export type Environment = Record<string, string | null>;

export interface RestartPolicy {
  name: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  /** Only for on-failure: 0 is no limit. */
  maximumRetryCount: number;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

export interface PortConfig {
  name?: string;
  mode?: string;
  hostIp?: string;
  target: number;
  /** A port or a range (`8080-8081`), as compose-go keeps it. */
  published?: string;
  protocol?: string;
  appProtocol?: string;
}

export interface ServiceVolumeConfig {
  type: string;
  source?: string;
  target?: string;
  readOnly?: boolean;
  consistency?: string;
  bind?: { propagation?: string; createHostPath?: boolean; recursive?: string; selinux?: string };
  volume?: { labels?: StringMap; nocopy?: boolean; subpath?: string };
  /** size in bytes. */
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  interfaceName?: string;
  ipv4Address?: string;
  ipv6Address?: string;
  linkLocalIps?: string[];
  macAddress?: string;
  driverOpts?: StringMap;
  priority?: number;
  gwPriority?: number;
}

export interface DependencyConfig {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  restart?: boolean;
  required: boolean;
}

/** Durations in nanoseconds. */
export interface HealthCheckConfig {
  test?: string[];
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  startInterval?: number;
  retries?: number;
  disable?: boolean;
}

export interface LoggingConfig {
  driver?: string;
  options?: StringMap;
}

export interface DeviceMapping {
  source: string;
  target?: string;
  permissions?: string;
}

export interface DeviceRequest {
  capabilities?: string[];
  count?: number | 'all';
  deviceIds?: string[];
  driver?: string;
  options?: StringMap;
}

/** Rates: `*_bps` in bytes a second, `*_iops` in operations a second. */
export interface ThrottleDevice {
  path: string;
  rate: number;
}

export interface BlkioConfig {
  weight?: number;
  weightDevice?: { path: string; weight: number }[];
  deviceReadBps?: ThrottleDevice[];
  deviceReadIops?: ThrottleDevice[];
  deviceWriteBps?: ThrottleDevice[];
  deviceWriteIops?: ThrottleDevice[];
}

export interface ResourceLimits {
  cpus?: number;
  memory?: number;
  pids?: number;
}

export interface ResourceReservations {
  cpus?: number;
  memory?: number;
  genericResources?: unknown[];
  devices?: DeviceRequest[];
}

/** Durations in nanoseconds. */
export interface UpdateConfig {
  parallelism?: number;
  delay?: number;
  failureAction?: string;
  monitor?: number;
  maxFailureRatio?: number;
  order?: string;
}

export interface DeployConfig {
  mode?: string;
  endpointMode?: string;
  replicas?: number;
  labels?: StringMap;
  rollbackConfig?: UpdateConfig;
  updateConfig?: UpdateConfig;
  resources?: { limits?: ResourceLimits; reservations?: ResourceReservations };
  /** delay and window in nanoseconds. */
  restartPolicy?: { condition?: string; delay?: number; maxAttempts?: number; window?: number };
  placement?: { constraints?: string[]; preferences?: unknown[]; maxReplicasPerNode?: number };
}

export interface BuildConfig {
  context: string;
  dockerfile?: string;
  dockerfileInline?: string;
  entitlements?: string[];
  args?: Record<string, string | null>;
  ssh?: unknown;
  labels?: StringMap;
  cacheFrom?: string[];
  cacheTo?: string[];
  noCache?: boolean;
  additionalContexts?: StringMap;
  network?: string;
  provenance?: unknown;
  sbom?: unknown;
  pull?: boolean;
  target?: string;
  shmSize?: number;
  extraHosts?: string[];
  isolation?: string;
  privileged?: boolean;
  secrets?: FileReference[];
  tags?: string[];
  ulimits?: Record<string, Ulimit>;
  platforms?: string[];
}

/** A service's use of a top-level secret or config. */
export interface FileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  /** Permission bits (compose-go prints them back in octal). */
  mode?: number;
}

export interface EnvFile {
  path: string;
  format?: string;
  required?: boolean;
}

export interface ServiceHook {
  command: string[];
  user?: string;
  privileged?: boolean;
  workingDir?: string;
  environment?: Environment;
}

export interface WatchTrigger {
  path: string;
  action: string;
  target?: string;
  ignore?: string[];
  include?: string[];
  exec?: ServiceHook;
  initialSync?: boolean;
}

export interface ServiceConfig {
  name: string;
  annotations?: StringMap;
  attach?: boolean;
  blkioConfig?: BlkioConfig;
  build?: BuildConfig;
  capAdd?: string[];
  capDrop?: string[];
  cgroup?: string;
  cgroupParent?: string;
  command?: string[];
  configs?: FileReference[];
  containerName?: string;
  cpuCount?: number;
  cpuPercent?: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  /** Microseconds. */
  cpuRtPeriod?: number;
  /** Microseconds. */
  cpuRtRuntime?: number;
  cpuShares?: number;
  cpus?: number;
  cpuset?: string;
  credentialSpec?: { config?: string; file?: string; registry?: string };
  dependsOn?: Record<string, DependencyConfig>;
  deploy?: DeployConfig;
  develop?: { watch?: WatchTrigger[] };
  deviceCgroupRules?: string[];
  devices?: DeviceMapping[];
  dns?: string[];
  dnsOpt?: string[];
  dnsSearch?: string[];
  domainname?: string;
  entrypoint?: string[];
  envFile?: EnvFile[];
  environment?: Environment;
  expose?: string[];
  externalLinks?: string[];
  extraHosts?: string[];
  gpus?: DeviceRequest[];
  groupAdd?: string[];
  healthcheck?: HealthCheckConfig;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  isolation?: string;
  labelFile?: string[];
  labels?: StringMap;
  links?: string[];
  logging?: LoggingConfig;
  macAddress?: string;
  /** Bytes. */
  memLimit?: number;
  memReservation?: number;
  memSwappiness?: number;
  /** Bytes; -1 is unlimited swap. */
  memswapLimit?: number;
  models?: Record<string, { endpointVar?: string; modelVar?: string }>;
  networkMode?: string;
  networks?: Record<string, ServiceNetworkConfig>;
  oomKillDisable?: boolean;
  oomScoreAdj?: number;
  pid?: string;
  pidsLimit?: number;
  platform?: string;
  ports?: PortConfig[];
  postStart?: ServiceHook[];
  preStop?: ServiceHook[];
  privileged?: boolean;
  profiles?: string[];
  provider?: { type: string; options?: Record<string, unknown> };
  pullPolicy?: string;
  pullRefreshAfter?: string;
  readOnly?: boolean;
  restart?: RestartPolicy;
  runtime?: string;
  scale?: number;
  secrets?: FileReference[];
  securityOpt?: string[];
  shmSize?: number;
  stdinOpen?: boolean;
  /** Nanoseconds. */
  stopGracePeriod?: number;
  stopSignal?: string;
  storageOpt?: StringMap;
  sysctls?: StringMap;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, Ulimit>;
  useApiSocket?: boolean;
  user?: string;
  usernsMode?: string;
  uts?: string;
  volumes?: ServiceVolumeConfig[];
  volumesFrom?: string[];
  workingDir?: string;
  extensions?: Extensions;
}

export interface IpamConfig {
  driver?: string;
  config?: { subnet?: string; ipRange?: string; gateway?: string; auxAddresses?: StringMap }[];
  options?: StringMap;
}

/** `name` is the name the resource has on the engine (normalization sets it). */
export interface NetworkConfig {
  name: string;
  driver?: string;
  driverOpts?: StringMap;
  ipam?: IpamConfig;
  external?: boolean;
  internal?: boolean;
  enableIpv4?: boolean;
  enableIpv6?: boolean;
  attachable?: boolean;
  labels?: StringMap;
  extensions?: Extensions;
}

export interface VolumeConfig {
  name: string;
  driver?: string;
  driverOpts?: StringMap;
  external?: boolean;
  labels?: StringMap;
  extensions?: Extensions;
}

export interface SecretConfig {
  name: string;
  file?: string;
  environment?: string;
  external?: boolean;
  labels?: StringMap;
  driver?: string;
  driverOpts?: StringMap;
  templateDriver?: string;
  extensions?: Extensions;
}

export interface ConfigObjConfig {
  name: string;
  file?: string;
  content?: string;
  environment?: string;
  external?: boolean;
  labels?: StringMap;
  templateDriver?: string;
  extensions?: Extensions;
}

/** The typed half of a loaded project (types.ts' Project adds the tree and where it came from). */
export interface TypedModel {
  services: Record<string, ServiceConfig>;
  /** Services left out by the active profiles, typed as well (`run` of one of them). */
  disabled: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, SecretConfig>;
  configs: Record<string, ConfigObjConfig>;
  extensions: Extensions;
}
