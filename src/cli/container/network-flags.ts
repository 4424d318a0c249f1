/**
 * `--network` (repeatable, docker's short `NAME` or long `name=NAME,alias=A,ip=IP,...` form),
 * `--network-alias`, `--ip` and `--mac-address` of `run`/`create`: the container's network mode
 * (the first network) and the endpoint config of each network (docker's NetworkingConfig), as
 * docker 28's CLI sends them: every network in the create body (API 1.44+), the plain flags
 * applying to the first one (`default` without any: the engine's default network).
 */
import type { EndpointSettings, NetworkingConfig } from '../../engine-api/network/types';
import { list, str, type FlagTable } from '../flags/flag-spec';
import { UsageError, invalidArgument } from '../flags/usage';

export const networkFlagTable = {
  network: list('Connect a container to a network (NAME, or name=NAME,alias=A,ip=IP,mac-address=MAC)', {
    aliases: ['net'],
  }),
  'network-alias': list('Add network-scoped alias for the container'),
  ip: str('IPv4 address (e.g., 172.30.100.104)'),
  'mac-address': str('Container MAC address (e.g., 92:d0:c6:0a:29:33)'),
} satisfies FlagTable;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
/** docker's test for the long form (opts/network.go): a `key=value` somewhere. */
const LONG_FORM = /\w+=\w+(,\w+=\w+)*/;
/** Modes that are not user-defined networks (docker's NetworkMode.IsUserDefined, negated). */
const BUILTIN_MODES = new Set(['default', 'bridge', 'host', 'none']);

/** One `--network` value. */
interface Attachment {
  target: string;
  aliases: string[];
  ip?: string;
  ip6?: string;
  mac?: string;
}

/** docker's CSV fields: quotes allowed around a field, `""` inside them for a quote. */
function csvFields(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= value.length) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) throw new Error('extraneous or missing " in quoted-field');
        if (value[i] !== '"') {
          field += value[i++];
        } else if (value[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          i++;
          break;
        }
      }
      if (i < value.length && value[i] !== ',') throw new Error('extraneous or missing " in quoted-field');
    } else {
      const end = value.indexOf(',', i);
      field = value.slice(i, end < 0 ? value.length : end);
      i = end < 0 ? value.length : end;
    }
    out.push(field);
    i++;
  }
  return out;
}

/** docker's NetworkOpt.Set: `NAME`, or the long form's fields. */
function parseNetworkOpt(value: string): Attachment {
  if (!LONG_FORM.test(value)) return { target: value, aliases: [] };
  const a: Attachment = { target: '', aliases: [] };
  const bad = (why: string): UsageError => invalidArgument(value, '--network', why);
  let fields: string[];
  try {
    fields = csvFields(value);
  } catch (err) {
    throw bad((err as Error).message);
  }
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? '' : field.slice(0, eq).trim().toLowerCase();
    const val = field.slice(eq + 1).trim();
    if (!key) throw bad(`invalid field ${field}`);
    switch (key) {
      case 'name':
        a.target = val;
        break;
      case 'alias':
        a.aliases.push(val);
        break;
      case 'ip':
        a.ip = val;
        break;
      case 'ip6':
        a.ip6 = val;
        break;
      case 'mac-address':
        a.mac = val;
        break;
      case 'link-local-ip':
      case 'driver-opt':
      case 'gw-priority':
        throw bad(`${key} is not supported by this engine`);
      default:
        throw bad(`invalid field key ${key}`);
    }
  }
  if (!a.target) throw bad('network name/id is not specified');
  return a;
}

/** docker's applyContainerOptions: the plain flags go to the first network, never beside its own. */
function withPlainFlags(a: Attachment, aliases: string[], ip?: string, mac?: string): Attachment {
  if (a.aliases.length && aliases.length)
    throw new UsageError('conflicting options: cannot specify both --network-alias and per-network alias');
  if (a.ip && ip !== undefined)
    throw new UsageError('conflicting options: cannot specify both --ip and per-network IPv4 address');
  if (a.mac && mac !== undefined)
    throw new UsageError(
      'conflicting options: cannot specify both --mac-address and per-network MAC address',
    );
  return {
    ...a,
    aliases: aliases.length ? [...aliases] : a.aliases,
    ip: ip ?? a.ip,
    mac: mac ?? a.mac,
  };
}

function endpoint(a: Attachment): EndpointSettings {
  if (a.ip !== undefined && !IPV4.test(a.ip))
    throw new UsageError(`invalid argument "${a.ip}" for "--ip" flag: invalid IPv4 address`);
  if (a.mac !== undefined && !MAC.test(a.mac)) throw new UsageError(`${a.mac} is not a valid mac address`);
  const ipam = {
    ...(a.ip !== undefined ? { IPv4Address: a.ip } : {}),
    ...(a.ip6 !== undefined ? { IPv6Address: a.ip6 } : {}),
  };
  return {
    ...(a.aliases.length ? { Aliases: a.aliases } : {}),
    ...(Object.keys(ipam).length ? { IPAMConfig: ipam } : {}),
    ...(a.mac !== undefined ? { MacAddress: a.mac.replace(/-/g, ':').toLowerCase() } : {}),
  };
}

export interface ContainerNetworks {
  /** HostConfig.NetworkMode: the first network's target; undefined without `--network`. */
  mode?: string;
  config?: NetworkingConfig;
}

/** The create body's network mode and NetworkingConfig, as docker's parseNetworkOpts builds them. */
export function containerNetworks(flags: {
  network?: string[];
  'network-alias'?: string[];
  ip?: string;
  'mac-address'?: string;
}): ContainerNetworks {
  const given = (flags.network ?? []).map(parseNetworkOpt);
  const first = withPlainFlags(
    given[0] ?? { target: 'default', aliases: [] },
    flags['network-alias'] ?? [],
    flags.ip,
    flags['mac-address'],
  );
  const all = [first, ...given.slice(1)];
  const seen = new Set<string>();
  for (const a of all) {
    if (seen.has(a.target)) throw new UsageError(`network "${a.target}" is specified multiple times`);
    seen.add(a.target);
  }
  // `--network ""` is the engine's default network, as no flag is.
  const key = (a: Attachment): string => a.target || 'default';
  const userDefined = all.filter(
    (a) => a.target && !BUILTIN_MODES.has(a.target) && !a.target.startsWith('container:'),
  );
  if (userDefined.length && userDefined.length < all.length)
    throw new UsageError(
      'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
    );
  const endpoints = Object.fromEntries(all.map((a) => [key(a), endpoint(a)]));
  // One network with nothing to say about it: no endpoint config, as docker's CLI sends.
  const only = all.length === 1 && !Object.keys(endpoints[key(first)]).length;
  return {
    ...(given.length ? { mode: first.target } : {}),
    ...(only ? {} : { config: { EndpointsConfig: endpoints } }),
  };
}

/** `network connect`'s endpoint config (`--alias`, `--ip`). */
export function connectEndpoint(flags: { alias?: string[]; ip?: string }): EndpointSettings | undefined {
  const e = endpoint({ target: '', aliases: flags.alias ?? [], ip: flags.ip });
  return Object.keys(e).length ? e : undefined;
}
