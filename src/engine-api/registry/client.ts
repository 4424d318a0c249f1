/** RegistryApi over HTTP: pull (`POST /images/create?fromImage=`), push, and `POST /auth`. */
import { enc, type Query, type Transport } from '../transport';
import type {
  ProgressHandler,
  PullImageOptions,
  PushImageOptions,
  RegistryApi,
  RegistryAuthConfig,
} from './api';
import { readProgress, splitReference } from './progress';

export function registryClient(t: Transport): RegistryApi {
  return {
    async pullImage(ref: string, opts: PullImageOptions = {}, onProgress?: ProgressHandler): Promise<void> {
      const { name, tag } = splitReference(ref);
      const query: Query = [
        ['fromImage', name],
        ['tag', tag],
        ['platform', opts.platform],
      ];
      const headers = opts.auth ? { 'X-Registry-Auth': opts.auth } : undefined;
      const res = await t.send('POST', '/images/create', { query, headers, signal: opts.signal });
      await readProgress(res, onProgress);
    },

    async pushImage(ref: string, opts: PushImageOptions = {}, onProgress?: ProgressHandler): Promise<void> {
      const { name, tag } = splitReference(ref);
      // dockerd wants the header even for an anonymous push: base64 of `{}`.
      const headers = { 'X-Registry-Auth': opts.auth ?? 'e30=' };
      const res = await t.send('POST', `/images/${enc(name)}/push`, {
        query: [['tag', tag]],
        headers,
        signal: opts.signal,
      });
      await readProgress(res, onProgress);
    },

    checkAuth(auth: RegistryAuthConfig): Promise<{ Status: string; IdentityToken?: string }> {
      return t.call('POST', '/auth', { body: auth });
    },
  };
}
