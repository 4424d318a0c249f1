/**
 * docker's credential helper protocol: `docker-credential-<name> get|store|erase`, the server
 * URL or a `{ServerURL, Username, Secret}` JSON on stdin. A username of `<token>` marks the
 * secret as an identity token. A helper that is not installed is reported, never fatal for get.
 */
import { spawnSync } from 'node:child_process';
import type { RegistryAuthConfig } from '../../engine-api/registry/api';
import { TscomposeError } from '../../common/errors';

const TOKEN_USER = '<token>';

function run(helper: string, verb: string, input: string, env: NodeJS.ProcessEnv) {
  return spawnSync(`docker-credential-${helper}`, [verb], { input, encoding: 'utf8', env, timeout: 30_000 });
}

function failure(helper: string, verb: string, r: ReturnType<typeof run>): TscomposeError {
  const why = r.error ? r.error.message : (r.stdout || r.stderr).trim();
  return new TscomposeError(
    `error ${verb === 'get' ? 'getting' : verb === 'store' ? 'storing' : 'erasing'} credentials - docker-credential-${helper}: ${why}`,
    {
      code: 'CREDENTIAL_HELPER',
    },
  );
}

/** undefined when the helper has nothing for the server, or is not installed. */
export function helperGet(helper: string, server: string, env = process.env): RegistryAuthConfig | undefined {
  const r = run(helper, 'get', server, env);
  if (r.error || r.status !== 0) return undefined;
  const { Username, Secret } = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
  if (!Secret) return undefined;
  return Username === TOKEN_USER ? { identitytoken: Secret } : { username: Username, password: Secret };
}

export function helperStore(
  helper: string,
  server: string,
  auth: RegistryAuthConfig,
  env = process.env,
): void {
  const body = auth.identitytoken
    ? { ServerURL: server, Username: TOKEN_USER, Secret: auth.identitytoken }
    : { ServerURL: server, Username: auth.username ?? '', Secret: auth.password ?? '' };
  const r = run(helper, 'store', JSON.stringify(body), env);
  if (r.error || r.status !== 0) throw failure(helper, 'store', r);
}

export function helperErase(helper: string, server: string, env = process.env): void {
  const r = run(helper, 'erase', server, env);
  if (r.error || r.status !== 0) throw failure(helper, 'erase', r);
}
