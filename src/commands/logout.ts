import { Args, Command } from '@oclif/core';
import { HUB_SERVER, removeCredentials, serverKey } from '../cli/registry/registry-auth';

export default class Logout extends Command {
  static override summary = 'Log out from a registry';
  static override examples = ['<%= config.bin %> logout localhost:5000'];
  static override args = { server: Args.string({ description: `Registry server (default ${HUB_SERVER})` }) };

  async run(): Promise<void> {
    const { args } = await this.parse(Logout);
    const server = serverKey(args.server);
    if (!removeCredentials(server)) {
      this.log(`Not logged in to ${server}`);
      return;
    }
    this.log(`Removing login credentials for ${server}`);
  }
}
