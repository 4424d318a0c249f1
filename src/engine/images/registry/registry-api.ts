/**
 * The registry half of the EngineApi: pull, push and login over the image store, with the
 * user's credentials from `X-Registry-Auth` and the engine's settings read at each call (an
 * edited engine.json applies without a restart). Reference errors answer 400, as docker's.
 */
import { BadRequestError } from '../../../engine-api/errors';
import { type EngineApi } from '../../../engine-api/engine-api';
import { readEngineConfig, type EngineConfig } from '../../engine-config';
import type { ImageStore } from '../store';
import { decodeAuthHeader, normalizeAuth } from './auth-config';
import { RegistryClient } from './client';
import { registryDomain } from './endpoint';
import { pullImage } from './pull';
import { pushImage } from './push';

export type RegistryApi = Pick<EngineApi, 'pullImage' | 'pushImage' | 'checkAuth'>;

async function badInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === 'INVALID_REFERENCE')
      throw new BadRequestError((err as Error).message);
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
