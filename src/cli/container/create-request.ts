/**
 * `docker run` / `docker create` flags → the create request, as the docker CLI builds it. Pure
 * but for the files the flags name (--env-file, --label-file, --security-opt seccomp=FILE).
 */
import fs from 'node:fs';
import type {
  ContainerConfig,
  ContainerCreateBody,
  HealthConfig,
  HostConfig,
} from '../../engine-api/container/types';
import { parseReference } from '../../common/image-reference';
import { goOpenError } from '../format/go-format';
import { parseKeyValueFile, toMap } from '../flags/kv-file';
import { flagLabel } from '../flags/flag-spec';
import type { RunFlagValues } from './run-flag-table';
import { portConfig } from './port-flags';
import { runFlagTable } from './run-flag-table';
import { securityOpts } from './security-opts';
import { UsageError, invalidArgument } from '../flags/usage';
import * as values from './run-values';
import { containerNetworks } from './network-flags';

/** What a request reads on the client's side: its environment, working directory and files. */
export interface ClientContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  readFile(path: string): string;
}

export interface CreateRequest {
  name?: string;
  body: ContainerCreateBody;
}

type FlagName = keyof typeof runFlagTable;

const clientContext = (): ClientContext => ({ env: process.env, cwd: process.cwd(), readFile: readFileAsGo });

/** Read errors worded as Go's os.Open: `open x: no such file or directory`. */
export function readFileAsGo(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(goOpenError(file, err));
  }
}

/** A flag's value through docker's parser, its errors worded as pflag's. */
function parsed<T>(name: FlagName, raw: string | undefined, parse: (v: string) => T): T | undefined {
  if (raw === undefined) return undefined;
  try {
    return parse(raw);
  } catch (err) {
    if (err instanceof values.ValueError)
      throw invalidArgument(raw, flagLabel(runFlagTable, name), err.message);
    throw err;
  }
}

function each<T>(name: FlagName, raw: string[] | undefined, parse: (v: string) => T): T[] | undefined {
  return raw?.map((v) => parsed(name, v, parse) as T);
}

const nonEmpty = <T>(xs: T[] | undefined): T[] | undefined => (xs && xs.length > 0 ? xs : undefined);
const mapOf = (xs: [string, string][] | undefined) => (xs?.length ? Object.fromEntries(xs) : undefined);

/** `-e KEY=VAL` as given, `-e KEY` from our environment; env files first, as docker reads them. */
export function envList(
  flags: { env?: string[]; 'env-file'?: string[] },
  client: Pick<ClientContext, 'env' | 'readFile'> = clientContext(),
): string[] | undefined {
  const lookup = (k: string) => client.env[k];
  const fromFiles = (flags['env-file'] ?? []).flatMap((f) => parseKeyValueFile(client.readFile(f), lookup));
  const fromFlags = each('env', flags.env, (v) => {
    const eq = v.indexOf('=');
    if (eq === 0 || v === '') throw new values.ValueError(`invalid environment variable: ${v}`);
    return eq > 0 || lookup(v) === undefined ? v : `${v}=${lookup(v)}`;
  });
  // A bare KEY that is not set here is dropped, as it never reaches docker's containers either.
  return nonEmpty([...fromFiles, ...(fromFlags ?? [])].filter((e) => e.includes('=')));
}

function labelMap(flags: RunFlagValues, client: ClientContext): Record<string, string> | undefined {
  const fromFiles = (flags['label-file'] ?? []).flatMap((f) => parseKeyValueFile(client.readFile(f)));
  const fromFlags = each('label', flags.label, (v) => {
    if (v.split('=')[0].trim() === '') throw new values.ValueError(`invalid label '${v}': empty name`);
    return v;
  });
  const all = [...fromFiles, ...(fromFlags ?? [])];
  return all.length > 0 ? toMap(all) : undefined;
}

function hostConfig(flags: RunFlagValues, client: ClientContext): HostConfig {
  const size = (name: FlagName) => parsed(name, flags[name] as string | undefined, values.ramInBytes);
  const int = (name: FlagName) => parsed(name, flags[name] as string | undefined, values.parseInteger);
  const restart = flags.restart === undefined ? undefined : values.parseRestartPolicy(flags.restart);
  if (flags.rm && restart && restart.Name !== 'no')
    throw new UsageError('conflicting options: cannot specify both --restart and --rm');
  return {
    Binds: nonEmpty(flags.volume?.map(values.checkVolume)),
    Mounts: nonEmpty(each('mount', flags.mount, (v) => values.parseMount(v, client.cwd))),
    VolumesFrom: nonEmpty(flags['volumes-from']),
    Tmpfs: mapOf(flags.tmpfs?.map((t) => [t.split(':')[0], t.slice(t.split(':')[0].length + 1)])),
    AutoRemove: flags.rm || undefined,
    Privileged: flags.privileged || undefined,
    ReadonlyRootfs: flags['read-only'] || undefined,
    CapAdd: nonEmpty(flags['cap-add']),
    CapDrop: nonEmpty(flags['cap-drop']),
    SecurityOpt: nonEmpty(securityOpts(flags['security-opt'] ?? [], client.readFile)),
    Init: flags.init || undefined,
    Ulimits: nonEmpty(each('ulimit', flags.ulimit, values.parseUlimit)),
    Sysctls: mapOf(each('sysctl', flags.sysctl, values.sysctl)),
    ShmSize: size('shm-size'),
    Memory: size('memory'),
    MemorySwap: parsed('memory-swap', flags['memory-swap'], (v) => (v === '-1' ? -1 : values.ramInBytes(v))),
    MemoryReservation: size('memory-reservation'),
    NanoCpus: parsed('cpus', flags.cpus, values.nanoCpus),
    CpuShares: int('cpu-shares'),
    CpuPeriod: int('cpu-period'),
    CpuQuota: int('cpu-quota'),
    CpusetCpus: flags['cpuset-cpus'],
    CpusetMems: flags['cpuset-mems'],
    PidsLimit: int('pids-limit'),
    RestartPolicy: restart,
    IpcMode: flags.ipc,
    GroupAdd: nonEmpty(flags['group-add']),
    ExtraHosts: nonEmpty(each('add-host', flags['add-host'], values.extraHost)),
    Dns: nonEmpty(each('dns', flags.dns, values.ipAddress)),
    DnsSearch: nonEmpty(flags['dns-search']),
    DnsOptions: nonEmpty(flags['dns-option']),
    LogConfig: logConfig(flags['log-driver'], flags['log-opt']),
  };
}

/** `--log-driver` and `--log-opt k=v`; an empty type leaves the driver to the engine's default. */
function logConfig(driver: string | undefined, opts: string[] = []): HostConfig['LogConfig'] {
  if (driver === 'none' && opts.length > 0) throw new UsageError('invalid logging opts for driver none');
  if (driver === undefined && opts.length === 0) return undefined;
  return { Type: driver ?? '', Config: toMap(opts) };
}

/** Drops the fields a flag did not set, so the body says only what the user said. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** operands: IMAGE [COMMAND [ARG...]], the caller having checked that IMAGE is there. */
export function buildCreateRequest(
  flags: RunFlagValues,
  operands: string[],
  client = clientContext(),
): CreateRequest {
  const [image, ...cmd] = operands;
  parseReference(image);
  const attach = !flags.detach;
  const config: ContainerConfig = {
    Hostname: flags.hostname,
    User: flags.user,
    AttachStdin: flags.interactive && attach ? true : undefined,
    AttachStdout: attach || undefined,
    AttachStderr: attach || undefined,
    OpenStdin: flags.interactive || undefined,
    StdinOnce: flags.interactive && attach ? true : undefined,
    Tty: flags.tty || undefined,
    Env: envList(flags, client),
    Cmd: cmd.length > 0 ? cmd : undefined,
    Image: image,
    WorkingDir: flags.workdir,
    Entrypoint: flags.entrypoint === undefined ? undefined : [flags.entrypoint],
    Labels: labelMap(flags, client),
    StopSignal: flags['stop-signal'],
    StopTimeout: parsed('stop-timeout', flags['stop-timeout'], values.parseInteger),
    Healthcheck: healthcheck(flags),
  };
  const { mode: NetworkMode, config: NetworkingConfig } = containerNetworks(flags);
  const { ExposedPorts, ...publish } = portConfig(flags);
  const body: ContainerCreateBody = {
    ...defined(config),
    ...(ExposedPorts ? { ExposedPorts } : {}),
    HostConfig: defined({ ...hostConfig(flags, client), NetworkMode, ...publish }),
    ...(NetworkingConfig ? { NetworkingConfig } : {}),
  };
  return flags.name === undefined ? { body } : { name: flags.name, body };
}

/** docker's --health-* flags; `--no-healthcheck` is Test ["NONE"] and excludes the others. */
function healthcheck(flags: RunFlagValues): HealthConfig | undefined {
  const ns = (name: FlagName): number | undefined =>
    parsed(name, flags[name] as string | undefined, values.durationNs);
  const h: HealthConfig = {
    Test: flags['health-cmd'] === undefined ? undefined : ['CMD-SHELL', flags['health-cmd']],
    Interval: ns('health-interval'),
    Timeout: ns('health-timeout'),
    StartPeriod: ns('health-start-period'),
    StartInterval: ns('health-start-interval'),
    Retries: parsed('health-retries', flags['health-retries'], values.parseInteger),
  };
  const given = Object.values(h).some((v) => v !== undefined);
  if (flags['no-healthcheck']) {
    if (given) throw new UsageError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if ((h.Retries ?? 0) < 0) throw new UsageError('--health-retries cannot be negative');
  return given ? (defined(h as Record<string, unknown>) as HealthConfig) : undefined;
}
