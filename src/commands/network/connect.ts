import { Args, Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { connectEndpoint } from '../../cli/container/network-flags';

export default class NetworkConnect extends Command {
  static override summary = 'Connect a container to a network';
  static override examples = ['<%= config.bin %> network connect --alias db backend postgres-1'];
  static override baseFlags = engineFlags;
  static override args = {
    network: Args.string({ description: 'Network name or id', required: true }),
    container: Args.string({ description: 'Container name or id', required: true }),
  };
  static override flags = {
    alias: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Add network-scoped alias for the container',
    }),
    ip: Flags.string({ description: 'IPv4 address (e.g., 172.30.100.104)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NetworkConnect);
    const endpoint = connectEndpoint(flags);
    const engine = await openEngine(flags);
    try {
      await engine.connectNetwork(args.network, {
        Container: args.container,
        EndpointConfig: endpoint,
      });
    } catch (err) {
      throw daemonError(err);
    }
  }
}
