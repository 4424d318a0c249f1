/**
 * `login` once its flags are read: the credentials asked for or read, checked against the
 * registry (through the engine), then kept as docker keeps them.
 */
import { TscomposeError } from '../../common/errors';
import { openEngine } from '../engine-client';
import { promptLine, readStdin } from './prompt';
import { saveCredentials, serverKey } from './registry-auth';

export interface LoginFlags {
  host?: string;
  username?: string;
  password?: string;
  'password-stdin'?: boolean;
}

/** The registry's status line; `warn` gets docker's warnings. */
export async function login(
  server: string | undefined,
  flags: LoginFlags,
  warn: (message: string) => void,
): Promise<string> {
  if (flags.password !== undefined && flags['password-stdin'])
    throw new TscomposeError('--password and --password-stdin are mutually exclusive', { code: 'USAGE' });
  if (flags['password-stdin'] && !flags.username)
    throw new TscomposeError('Must provide --username with --password-stdin', { code: 'USAGE' });
  if (flags.password !== undefined) warn('Using --password via the CLI is insecure. Use --password-stdin.');
  const key = serverKey(server);
  const username = flags.username ?? (await promptLine(`Username: `));
  let password = flags.password;
  if (flags['password-stdin']) password = (await readStdin()).replace(/\r?\n$/, '');
  password ??= await promptLine('Password: ', { secret: true });
  if (!username || !password)
    throw new TscomposeError('Error: Username and password are required', { code: 'USAGE' });

  const engine = await openEngine(flags);
  const answer = await engine.checkAuth({ username, password, serveraddress: key });
  const auth = answer.IdentityToken ? { identitytoken: answer.IdentityToken } : { username, password };
  const where = saveCredentials(key, auth);
  if (where.file)
    process.stderr.write(`WARNING! Your password will be stored unencrypted in ${where.file}.\n`);
  return answer.Status || 'Login Succeeded';
}
