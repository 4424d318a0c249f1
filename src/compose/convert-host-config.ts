/**
 * A service's HostConfig apart from mounts and networks: restart policy, resources, security,
 * DNS and logging, as docker compose's getCreateConfigs and getDeployResources fill them
 * (deploy.resources limits over the service-level keys, deploy.restart_policy over `restart`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../common/errors';
import type { ServiceConfig } from '../compose-model/project-types';
import type { HostConfig, RestartPolicy } from '../engine-api/container/types';

/** What HostConfig takes from the service alone (mounts, networks and namespaces are added by the caller). */
export function hostConfigOf(service: ServiceConfig, projectDir: string, warnings: string[]): HostConfig {
  const s = service;
  const limits = s.deploy?.resources?.limits;
  const reservations = s.deploy?.resources?.reservations;
  const hc: HostConfig = {
    RestartPolicy: restartPolicy(s),
    Memory: limits?.memory || s.memLimit,
    MemorySwap: s.memswapLimit,
    MemoryReservation: reservations?.memory || s.memReservation,
    NanoCpus: nanoCpus(limits?.cpus || s.cpus),
    CpuShares: s.cpuShares,
    CpuQuota: s.cpuQuota,
    CpuPeriod: s.cpuPeriod,
    CpusetCpus: s.cpuset,
    PidsLimit: (limits?.pids ?? 0) > 0 ? limits?.pids : s.pidsLimit || undefined,
    OomKillDisable: s.oomKillDisable,
    Ulimits: ulimits(s),
    CapAdd: s.capAdd,
    CapDrop: s.capDrop,
    Privileged: s.privileged,
    SecurityOpt: s.securityOpt?.map((o) => securityOpt(o, projectDir)),
    Init: s.init,
    ReadonlyRootfs: s.readOnly,
    ShmSize: s.shmSize,
    Sysctls: s.sysctls,
    Dns: s.dns,
    DnsSearch: s.dnsSearch,
    DnsOptions: s.dnsOpt,
    ExtraHosts: s.extraHosts?.map(extraHost),
    GroupAdd: s.groupAdd,
    LogConfig: s.logging ? { Type: s.logging.driver ?? '', Config: s.logging.options } : undefined,
  };
  dropTuning(s, warnings);
  return hc;
}

/** compose-go's `deploy.restart_policy` conditions in the engine's words. */
const CONDITIONS: Record<string, RestartPolicy['Name']> = {
  none: 'no',
  no: 'no',
  any: 'always',
  always: 'always',
  'on-failure': 'on-failure',
  'unless-stopped': 'unless-stopped',
};

function restartPolicy(s: ServiceConfig): RestartPolicy | undefined {
  const deploy = s.deploy?.restartPolicy;
  if (deploy) {
    const name = CONDITIONS[deploy.condition ?? 'any'];
    if (!name)
      throw new InvalidArgumentError(
        `service "${s.name}": invalid restart policy condition: ${deploy.condition}`,
      );
    return { Name: name, MaximumRetryCount: deploy.maxAttempts ?? 0 };
  }
  if (!s.restart) return undefined;
  return { Name: s.restart.name, MaximumRetryCount: s.restart.maximumRetryCount };
}

const nanoCpus = (cpus: number | undefined): number | undefined =>
  cpus ? Math.round(cpus * 1e9) : undefined;

/** Sorted by name: compose files keep them in a map, and a stable body makes a stable diff. */
function ulimits(s: ServiceConfig): HostConfig['Ulimits'] {
  const u = s.ulimits;
  if (!u) return undefined;
  return Object.keys(u)
    .sort()
    .map((Name) => ({ Name, Soft: u[Name].soft, Hard: u[Name].hard }));
}

/** `host=ip` (the map form) as `host:ip`, docker compose's ExtraHosts.AsList(":"). */
function extraHost(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : `${entry.slice(0, eq)}:${entry.slice(eq + 1)}`;
}

/**
 * `seccomp=<file>` names a profile relative to the project; the engine takes the profile's text
 * (docker compose's parseSecurityOpts reads and compacts it on the client side too).
 */
function securityOpt(opt: string, projectDir: string): string {
  const m = /^seccomp[=:](.*)$/.exec(opt);
  if (!m || m[1] === 'unconfined' || m[1] === 'builtin') return opt;
  const file = path.resolve(projectDir, m[1]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`opening seccomp profile (${m[1]}) failed: ${(err as Error).message}`);
  }
  try {
    return `seccomp=${JSON.stringify(JSON.parse(text))}`;
  } catch (err) {
    throw new InvalidArgumentError(
      `compacting json for seccomp profile (${m[1]}) failed: ${(err as Error).message}`,
    );
  }
}

/** Knobs that only tune what the engine already bounds: dropped with a warning, not refused. */
function dropTuning(s: ServiceConfig, warnings: string[]): void {
  const dropped = [
    ['blkio_config', s.blkioConfig],
    ['mem_swappiness', s.memSwappiness],
    ['oom_score_adj', s.oomScoreAdj],
    ['cpu_count', s.cpuCount],
    ['cpu_percent', s.cpuPercent],
    ['cpu_rt_period', s.cpuRtPeriod],
    ['cpu_rt_runtime', s.cpuRtRuntime],
    ['storage_opt', s.storageOpt],
    ['isolation', s.isolation],
  ].filter(([, v]) => v !== undefined && v !== '' && v !== 0);
  for (const [key] of dropped)
    warnings.push(
      `service "${s.name}": ${String(key)} is not supported by the tscompose engine yet and is ignored`,
    );
}
