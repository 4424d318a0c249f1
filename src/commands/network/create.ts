import { Args, Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { UsageError } from '../../cli/flags/usage';
import type { IpamConfig, NetworkCreateRequest } from '../../cli/network/types';

/** `k=v` flags as a map; docker refuses a flag without `=`. */
function pairs(flag: string, values: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (flag === 'label' && eq < 0) out[v] = '';
    else if (eq <= 0)
      throw new UsageError(`invalid argument "${v}" for "--${flag}" flag: expected key=value`);
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** docker pairs the n-th --ip-range and --gateway with the n-th --subnet. */
function ipamConfigs(subnets: string[], ranges: string[], gateways: string[]): IpamConfig[] {
  if (ranges.length > subnets.length || gateways.length > subnets.length)
    throw new UsageError('every ip-range or gateway must have a corresponding subnet');
  return subnets.map((Subnet, i) => ({
    Subnet,
    ...(ranges[i] ? { IPRange: ranges[i] } : {}),
    ...(gateways[i] ? { Gateway: gateways[i] } : {}),
  }));
}

export default class NetworkCreate extends Command {
  static override summary = 'Create a network';
  static override examples = [
    '<%= config.bin %> network create backend',
    '<%= config.bin %> network create --subnet 10.20.0.0/16 --gateway 10.20.0.1 backend',
  ];
  static override baseFlags = engineFlags;
  static override args = { network: Args.string({ description: 'Network name', required: true }) };
  static override flags = {
    driver: Flags.string({ char: 'd', description: 'Driver to manage the Network', default: 'bridge' }),
    internal: Flags.boolean({ description: 'Restrict external access to the network' }),
    attachable: Flags.boolean({ description: 'Enable manual container attachment' }),
    ipv6: Flags.boolean({ description: 'Enable or disable IPv6 networking' }),
    subnet: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Subnet in CIDR format that represents a network segment',
    }),
    'ip-range': Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Allocate container ip from a sub-range',
    }),
    gateway: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'IPv4 or IPv6 Gateway for the master subnet',
    }),
    'ipam-driver': Flags.string({ description: 'IP Address Management Driver', default: 'default' }),
    label: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Set metadata on a network',
    }),
    opt: Flags.string({
      char: 'o',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Set driver specific options',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NetworkCreate);
    const body: NetworkCreateRequest = {
      Name: args.network,
      Driver: flags.driver,
      Internal: flags.internal,
      Attachable: flags.attachable,
      EnableIPv6: flags.ipv6,
      IPAM: {
        Driver: flags['ipam-driver'],
        Config: ipamConfigs(flags.subnet ?? [], flags['ip-range'] ?? [], flags.gateway ?? []),
      },
      Options: pairs('opt', flags.opt),
      Labels: pairs('label', flags.label),
    };
    const engine = await openEngine(flags);
    try {
      this.log((await engine.createNetwork(body)).Id);
    } catch (err) {
      throw daemonError(err);
    }
  }
}
