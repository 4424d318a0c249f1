import { Args, Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';

export default class NetworkDisconnect extends Command {
  static override summary = 'Disconnect a container from a network';
  static override examples = ['<%= config.bin %> network disconnect backend postgres-1'];
  static override baseFlags = engineFlags;
  static override args = {
    network: Args.string({ description: 'Network name or id', required: true }),
    container: Args.string({ description: 'Container name or id', required: true }),
  };
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Force the container to disconnect from a network' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NetworkDisconnect);
    const engine = await openEngine(flags);
    try {
      await engine.disconnectNetwork(args.network, { Container: args.container, Force: flags.force });
    } catch (err) {
      throw daemonError(err);
    }
  }
}
