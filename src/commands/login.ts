import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../cli/engine-client';
import { HUB_SERVER } from '../cli/registry/registry-auth';
import { login } from '../cli/registry/login';

export default class Login extends Command {
  static override summary = 'Log in to a registry';
  static override description =
    'Checks the credentials against the registry (through the engine), then keeps them as docker does: in a credential helper when config.json names one, else in ~/.docker/config.json ($DOCKER_CONFIG).';
  static override examples = [
    'echo "$TOKEN" | <%= config.bin %> login -u me --password-stdin registry.example.com',
    '<%= config.bin %> login localhost:5000',
  ];
  static override args = { server: Args.string({ description: `Registry server (default ${HUB_SERVER})` }) };
  static override baseFlags = engineFlags;
  static override flags = {
    username: Flags.string({ char: 'u', description: 'Username' }),
    password: Flags.string({ char: 'p', description: 'Password' }),
    'password-stdin': Flags.boolean({ description: 'Take the password from stdin' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Login);
    this.log(await login(args.server, flags, (message) => this.warn(message)));
  }
}
