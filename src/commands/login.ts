import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../cli/engine-client';
import { promptLine, readStdin } from '../cli/registry/prompt';
import { HUB_SERVER, saveCredentials, serverKey } from '../cli/registry/registry-auth';
import { TscomposeError } from '../common/errors';

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
    if (flags.password !== undefined && flags['password-stdin'])
      throw new TscomposeError('--password and --password-stdin are mutually exclusive', { code: 'USAGE' });
    if (flags['password-stdin'] && !flags.username)
      throw new TscomposeError('Must provide --username with --password-stdin', { code: 'USAGE' });
    if (flags.password !== undefined)
      this.warn('Using --password via the CLI is insecure. Use --password-stdin.');
    const server = serverKey(args.server);
    const username = flags.username ?? (await promptLine(`Username: `));
    let password = flags.password;
    if (flags['password-stdin']) password = (await readStdin()).replace(/\r?\n$/, '');
    password ??= await promptLine('Password: ', { secret: true });
    if (!username || !password)
      throw new TscomposeError('Error: Username and password are required', { code: 'USAGE' });

    const engine = await openEngine(flags);
    const answer = await engine.checkAuth({ username, password, serveraddress: server });
    const auth = answer.IdentityToken ? { identitytoken: answer.IdentityToken } : { username, password };
    const where = saveCredentials(server, auth);
    if (where.file)
      process.stderr.write(`WARNING! Your password will be stored unencrypted in ${where.file}.\n`);
    this.log(answer.Status || 'Login Succeeded');
  }
}
