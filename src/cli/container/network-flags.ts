/**
 * `--network-alias`, `--ip` and `--mac-address` of `run`/`create`: the endpoint config of the
 * container's network (docker's NetworkingConfig), keyed by the `--network` given (`default`
 * without one: the engine's default network).
 */
import type { NetworkingConfig } from '../../engine-api/network/types';
import { list, str, type FlagTable } from '../flags/flag-spec';
import { UsageError } from '../flags/usage';

export const networkFlagTable = {
  'network-alias': list('Add network-scoped alias for the container'),
  ip: str('IPv4 address (e.g., 172.30.100.104)'),
  'mac-address': str('Container MAC address (e.g., 92:d0:c6:0a:29:33)'),
} satisfies FlagTable;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;

export function networkingConfig(flags: {
  network?: string;
  'network-alias'?: string[];
  ip?: string;
  'mac-address'?: string;
}): NetworkingConfig | undefined {
  const aliases = flags['network-alias'] ?? [];
  const { ip } = flags;
  const mac = flags['mac-address'];
  if (!aliases.length && ip === undefined && mac === undefined) return undefined;
  if (ip !== undefined && !IPV4.test(ip))
    throw new UsageError(`invalid argument "${ip}" for "--ip" flag: invalid IPv4 address`);
  if (mac !== undefined && !MAC.test(mac)) throw new UsageError(`${mac} is not a valid mac address`);
  const key = flags.network && !['default', ''].includes(flags.network) ? flags.network : 'default';
  return {
    EndpointsConfig: {
      [key]: {
        ...(aliases.length ? { Aliases: aliases } : {}),
        ...(ip !== undefined ? { IPAMConfig: { IPv4Address: ip } } : {}),
        ...(mac !== undefined ? { MacAddress: mac.replace(/-/g, ':').toLowerCase() } : {}),
      },
    },
  };
}
