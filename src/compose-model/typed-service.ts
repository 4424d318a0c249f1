/**
 * A service of the normalized tree → ServiceConfig, one table row per key of the compose spec.
 * The unit families are parsed here, at load, so a bad value is a file:line:col error from
 * `config` instead of a failure at `up`: sizes (mem_limit, shm_size, tmpfs and blkio rates),
 * durations (stop_grace_period, healthcheck, deploy), cpus, ports, ulimits and restart policies.
 */
import type {
  BlkioConfig,
  BuildConfig,
  DependencyConfig,
  DeployConfig,
  DeviceMapping,
  DeviceRequest,
  EnvFile,
  FileReference,
  HealthCheckConfig,
  PortConfig,
  RestartPolicy,
  ServiceConfig,
  ServiceHook,
  ServiceNetworkConfig,
  ServiceVolumeConfig,
  ThrottleDevice,
  Ulimit,
  UpdateConfig,
  WatchTrigger,
} from './project-types';
import {
  bool,
  bytes,
  bytesOrUnlimited,
  command,
  duration,
  environment,
  extraHosts,
  float,
  int,
  list,
  map,
  microseconds,
  oneOf,
  raw,
  str,
  stringMap,
  strings,
  struct,
  type Conv,
  type FieldTable,
  type Where,
} from './typed-values';
import { isObj } from './source';

const POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'] as const;

/**
 * `no`, `always`, `unless-stopped`, `on-failure[:N]`, in the daemon's words. docker compose
 * leaves a bad policy for the engine to refuse at `up`; refusing it at load says where it is.
 */
export const restartPolicy: Conv<RestartPolicy> = (v, w) => {
  const s = str(v, w);
  const colon = s.indexOf(':');
  const name = colon < 0 ? s : s.slice(0, colon);
  const count = colon < 0 ? '' : s.slice(colon + 1);
  if (!(POLICIES as readonly string[]).includes(name))
    return w.fail(
      `invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`,
    );
  if (count !== '' && !/^\d+$/.test(count))
    return w.fail('invalid restart policy format: maximum retry count must be a non-negative integer');
  if (count !== '' && name !== 'on-failure')
    return w.fail("invalid restart policy: maximum retry count can only be used with 'on-failure'");
  return { name: name as RestartPolicy['name'], maximumRetryCount: count === '' ? 0 : Number(count) };
};

/** A limit or `{soft, hard}`; -1 (unlimited) only as both, soft never above hard (docker's checks). */
const ulimit: Conv<Ulimit> = (v, w) => {
  const soft = isObj(v) ? int(v.soft, w.child('soft')) : int(v, w);
  const hard = isObj(v) ? int(v.hard, w.child('hard')) : soft;
  if (hard !== -1 && (soft === -1 || soft > hard))
    return w.fail(
      `ulimit soft limit must be less than or equal to hard limit: ${soft === -1 ? '-1 (unlimited)' : soft} > ${hard}`,
    );
  return { soft, hard };
};
const ulimits = map(ulimit);

const portNumber: Conv<number> = (v, w) => {
  const n = int(v, w);
  if (n < 0 || n > 65535) return w.fail(`invalid port ${n}: must be between 0 and 65535`);
  return n;
};

/** The canonical stage made every short form long; a long form's values are checked here. */
const port = struct<PortConfig>({
  name: ['name', str],
  mode: ['mode', str],
  hostIp: ['host_ip', str],
  target: ['target', portNumber],
  published: ['published', str],
  protocol: ['protocol', str],
  appProtocol: ['app_protocol', str],
});

const volume = struct<ServiceVolumeConfig>({
  type: ['type', str],
  source: ['source', str],
  target: ['target', str],
  readOnly: ['read_only', bool],
  consistency: ['consistency', str],
  bind: [
    'bind',
    struct({
      propagation: ['propagation', str],
      createHostPath: ['create_host_path', bool],
      recursive: ['recursive', str],
      selinux: ['selinux', str],
    }),
  ],
  volume: [
    'volume',
    struct({ labels: ['labels', stringMap], nocopy: ['nocopy', bool], subpath: ['subpath', str] }),
  ],
  tmpfs: ['tmpfs', struct({ size: ['size', bytes], mode: ['mode', fileMode] })],
  image: ['image', struct({ subpath: ['subpath', str] })],
});

/** A mode in octal as written (`0440`, `"0440"`) or the number YAML read. */
function fileMode(v: unknown, w: Where): number {
  if (typeof v === 'number') return v;
  const s = str(v, w);
  if (!/^[0-7]+$/.test(s)) return w.fail(`invalid file mode ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

const fileReference = struct<FileReference>({
  source: ['source', str],
  target: ['target', str],
  uid: ['uid', str],
  gid: ['gid', str],
  mode: ['mode', fileMode],
});

const serviceNetwork: Conv<ServiceNetworkConfig> = (v, w) =>
  v === null
    ? {}
    : struct<ServiceNetworkConfig>({
        aliases: ['aliases', strings],
        interfaceName: ['interface_name', str],
        ipv4Address: ['ipv4_address', str],
        ipv6Address: ['ipv6_address', str],
        linkLocalIps: ['link_local_ips', strings],
        macAddress: ['mac_address', str],
        driverOpts: ['driver_opts', stringMap],
        priority: ['priority', int],
        gwPriority: ['gw_priority', int],
      })(v, w);

const dependency = struct<DependencyConfig>({
  condition: ['condition', oneOf(['service_started', 'service_healthy', 'service_completed_successfully'])],
  restart: ['restart', bool],
  required: ['required', bool],
});

const healthcheck = struct<HealthCheckConfig>({
  test: ['test', strings],
  interval: ['interval', duration],
  timeout: ['timeout', duration],
  startPeriod: ['start_period', duration],
  startInterval: ['start_interval', duration],
  retries: ['retries', int],
  disable: ['disable', bool],
});

const deviceCount: Conv<number | 'all'> = (v, w) => (v === 'all' ? 'all' : int(v, w));

const deviceRequest = struct<DeviceRequest>({
  capabilities: ['capabilities', strings],
  count: ['count', deviceCount],
  deviceIds: ['device_ids', strings],
  driver: ['driver', str],
  options: ['options', stringMap],
});

const throttle = (rate: Conv<number>) =>
  list(struct<ThrottleDevice>({ path: ['path', str], rate: ['rate', rate] }));

const blkio = struct<BlkioConfig>({
  weight: ['weight', int],
  weightDevice: ['weight_device', list(struct({ path: ['path', str], weight: ['weight', int] }))],
  deviceReadBps: ['device_read_bps', throttle(bytes)],
  deviceReadIops: ['device_read_iops', throttle(int)],
  deviceWriteBps: ['device_write_bps', throttle(bytes)],
  deviceWriteIops: ['device_write_iops', throttle(int)],
});

const update = struct<UpdateConfig>({
  parallelism: ['parallelism', int],
  delay: ['delay', duration],
  failureAction: ['failure_action', str],
  monitor: ['monitor', duration],
  maxFailureRatio: ['max_failure_ratio', float],
  order: ['order', str],
});

const deploy = struct<DeployConfig>({
  mode: ['mode', str],
  endpointMode: ['endpoint_mode', str],
  replicas: ['replicas', int],
  labels: ['labels', stringMap],
  rollbackConfig: ['rollback_config', update],
  updateConfig: ['update_config', update],
  resources: [
    'resources',
    struct({
      limits: ['limits', struct({ cpus: ['cpus', float], memory: ['memory', bytes], pids: ['pids', int] })],
      reservations: [
        'reservations',
        struct({
          cpus: ['cpus', float],
          memory: ['memory', bytes],
          genericResources: ['generic_resources', list(raw)],
          devices: ['devices', list(deviceRequest)],
        }),
      ],
    }),
  ],
  restartPolicy: [
    'restart_policy',
    struct({
      condition: ['condition', str],
      delay: ['delay', duration],
      maxAttempts: ['max_attempts', int],
      window: ['window', duration],
    }),
  ],
  placement: [
    'placement',
    struct({
      constraints: ['constraints', strings],
      preferences: ['preferences', list(raw)],
      maxReplicasPerNode: ['max_replicas_per_node', int],
    }),
  ],
});

const build = struct<BuildConfig>({
  context: ['context', str],
  dockerfile: ['dockerfile', str],
  dockerfileInline: ['dockerfile_inline', str],
  entitlements: ['entitlements', strings],
  args: ['args', environment],
  ssh: ['ssh', raw],
  labels: ['labels', stringMap],
  cacheFrom: ['cache_from', strings],
  cacheTo: ['cache_to', strings],
  noCache: ['no_cache', bool],
  additionalContexts: ['additional_contexts', stringMap],
  network: ['network', str],
  provenance: ['provenance', raw],
  sbom: ['sbom', raw],
  pull: ['pull', bool],
  target: ['target', str],
  shmSize: ['shm_size', bytes],
  extraHosts: ['extra_hosts', extraHosts],
  isolation: ['isolation', str],
  privileged: ['privileged', bool],
  secrets: ['secrets', list(fileReference)],
  tags: ['tags', strings],
  ulimits: ['ulimits', ulimits],
  platforms: ['platforms', strings],
});

const hook = struct<ServiceHook>({
  command: ['command', command],
  user: ['user', str],
  privileged: ['privileged', bool],
  workingDir: ['working_dir', str],
  environment: ['environment', environment],
});

const watch = struct<WatchTrigger>({
  path: ['path', str],
  action: ['action', str],
  target: ['target', str],
  ignore: ['ignore', strings],
  include: ['include', strings],
  exec: ['exec', hook],
  initialSync: ['initial_sync', bool],
});

const envFile = struct<EnvFile>({
  path: ['path', str],
  format: ['format', str],
  required: ['required', bool],
});

const device = struct<DeviceMapping>({
  source: ['source', str],
  target: ['target', str],
  permissions: ['permissions', str],
});

/** `models: [a]` or `models: {a: {endpoint_var: …}}`. */
const models: Conv<NonNullable<ServiceConfig['models']>> = (v, w) =>
  Array.isArray(v)
    ? Object.fromEntries(v.map((m, i) => [str(m, w.child(i)), {}]))
    : map((x, wx) =>
        x === null ? {} : struct({ endpointVar: ['endpoint_var', str], modelVar: ['model_var', str] })(x, wx),
      )(v, w);

/** Keys of the spec's service without a typed field, each with why. */
export const IGNORED_SERVICE_KEYS: Record<string, string> = {
  extends: 'resolved by the extends stage: the normalized tree never holds it',
};

export const SERVICE_FIELDS: FieldTable<Omit<ServiceConfig, 'name' | 'extensions'>> = {
  annotations: ['annotations', stringMap],
  attach: ['attach', bool],
  blkioConfig: ['blkio_config', blkio],
  build: ['build', build],
  capAdd: ['cap_add', strings],
  capDrop: ['cap_drop', strings],
  cgroup: ['cgroup', str],
  cgroupParent: ['cgroup_parent', str],
  command: ['command', command],
  configs: ['configs', list(fileReference)],
  containerName: ['container_name', str],
  cpuCount: ['cpu_count', int],
  cpuPercent: ['cpu_percent', float],
  cpuPeriod: ['cpu_period', int],
  cpuQuota: ['cpu_quota', int],
  cpuRtPeriod: ['cpu_rt_period', microseconds],
  cpuRtRuntime: ['cpu_rt_runtime', microseconds],
  cpuShares: ['cpu_shares', int],
  cpus: ['cpus', float],
  cpuset: ['cpuset', str],
  credentialSpec: [
    'credential_spec',
    struct({ config: ['config', str], file: ['file', str], registry: ['registry', str] }),
  ],
  dependsOn: ['depends_on', map(dependency)],
  deploy: ['deploy', deploy],
  develop: ['develop', struct({ watch: ['watch', list(watch)] })],
  deviceCgroupRules: ['device_cgroup_rules', strings],
  devices: ['devices', list(device)],
  dns: ['dns', strings],
  dnsOpt: ['dns_opt', strings],
  dnsSearch: ['dns_search', strings],
  domainname: ['domainname', str],
  entrypoint: ['entrypoint', command],
  envFile: ['env_file', list(envFile)],
  environment: ['environment', environment],
  expose: ['expose', strings],
  externalLinks: ['external_links', strings],
  extraHosts: ['extra_hosts', extraHosts],
  gpus: ['gpus', (v, w) => (v === 'all' ? [{ count: 'all' }] : list(deviceRequest)(v, w))],
  groupAdd: ['group_add', strings],
  healthcheck: ['healthcheck', healthcheck],
  hostname: ['hostname', str],
  image: ['image', str],
  init: ['init', bool],
  ipc: ['ipc', str],
  isolation: ['isolation', str],
  labelFile: ['label_file', strings],
  labels: ['labels', stringMap],
  links: ['links', strings],
  logging: ['logging', struct({ driver: ['driver', str], options: ['options', stringMap] })],
  macAddress: ['mac_address', str],
  memLimit: ['mem_limit', bytes],
  memReservation: ['mem_reservation', bytes],
  memSwappiness: ['mem_swappiness', int],
  memswapLimit: ['memswap_limit', bytesOrUnlimited],
  models: ['models', models],
  networkMode: ['network_mode', str],
  networks: ['networks', map(serviceNetwork)],
  oomKillDisable: ['oom_kill_disable', bool],
  oomScoreAdj: ['oom_score_adj', int],
  pid: ['pid', str],
  pidsLimit: ['pids_limit', int],
  platform: ['platform', str],
  ports: ['ports', list(port)],
  postStart: ['post_start', list(hook)],
  preStop: ['pre_stop', list(hook)],
  privileged: ['privileged', bool],
  profiles: ['profiles', strings],
  provider: ['provider', struct({ type: ['type', str], options: ['options', map(raw)] })],
  pullPolicy: ['pull_policy', str],
  pullRefreshAfter: ['pull_refresh_after', str],
  readOnly: ['read_only', bool],
  restart: ['restart', restartPolicy],
  runtime: ['runtime', str],
  scale: ['scale', int],
  secrets: ['secrets', list(fileReference)],
  securityOpt: ['security_opt', strings],
  shmSize: ['shm_size', bytes],
  stdinOpen: ['stdin_open', bool],
  stopGracePeriod: ['stop_grace_period', duration],
  stopSignal: ['stop_signal', str],
  storageOpt: ['storage_opt', stringMap],
  sysctls: ['sysctls', stringMap],
  tmpfs: ['tmpfs', strings],
  tty: ['tty', bool],
  ulimits: ['ulimits', ulimits],
  useApiSocket: ['use_api_socket', bool],
  user: ['user', str],
  usernsMode: ['userns_mode', str],
  uts: ['uts', str],
  volumes: ['volumes', list(volume)],
  volumesFrom: ['volumes_from', strings],
  workingDir: ['working_dir', str],
};

const service = struct(SERVICE_FIELDS, true);

export function toServiceConfig(name: string, tree: unknown, w: Where): ServiceConfig {
  return { name, ...service(tree ?? {}, w) };
}
