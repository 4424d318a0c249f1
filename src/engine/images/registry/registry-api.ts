/**
 * The registry half of the EngineApi: pull, push and login over the image store, with the
 * user's credentials from `X-Registry-Auth` and the engine's settings read at each call (an
 * edited engine.json applies without a restart). Reference errors answer 400, as docker's.
 */
import { kindOf, TscomposeError } from '../../../common/errors';
import type { RegistryApi } from '../../../engine-api/registry/api';
import { readEngineConfig, type EngineConfig } from '../../engine-config';
import type { ImageStore } from '../store';
import { decodeAuthHeader, normalizeAuth } from '../../../engine-api/registry/auth-header';
import { RegistryClient } from './client';
import { registryDomain } from '../../../common/registry-domain';
import { pullImage } from './pull';
import { pushImage } from './push';

/**
 * Of the invalid arguments, only a bad reference is the client's: content that fails its checks
 * came from the registry, which is a failure of the pull or push (500), not of the request.
 */
async function badInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (kindOf(err) === 'invalid-argument' && (err as TscomposeError).code !== 'INVALID_REFERENCE')
      throw new TscomposeError((err as Error).message, { code: (err as TscomposeError).code, cause: err });
    throw err;
  }
}

export function registryApi(
  store: ImageStore,
  settings: () => EngineConfig = () => readEngineConfig(),
): RegistryApi {
  return {
    pullImage: (ref, o = {}, onProgress) =>
      badInput(async () => {
        const auth = decodeAuthHeader(o.auth);
        await pullImage(
          store,
          ref,
          { platform: o.platform, auth, config: settings(), signal: o.signal },
          onProgress,
        );
      }),
    pushImage: (ref, o = {}, onProgress) =>
      badInput(async () => {
        const auth = decodeAuthHeader(o.auth);
        await pushImage(store, ref, { auth, config: settings(), signal: o.signal }, onProgress);
      }),
    checkAuth: async (body) => {
      const client = new RegistryClient(registryDomain(body.serveraddress), {
        auth: normalizeAuth(body),
        config: settings(),
        scopes: [],
      });
      await client.login();
      return { Status: 'Login Succeeded', IdentityToken: client.lastToken?.refreshToken ?? '' };
    },
  };
}
