/** Push and `/auth` (docker login). */
import type { RegistryAuthConfig } from '../../../engine-api/registry/api';
import { joinReference, registryAuthHeader, sendProgress } from '../progress';
import { ok, readJson, route, type Route } from '../route';

export const registryRoutes: Route[] = [
  route('POST', '/images/{name*}/push', async ({ api, params, query, req, res, signal }) => {
    const ref = joinReference(params.name, query.get('tag'));
    return sendProgress(res, (emit) => api.pushImage(ref, { auth: registryAuthHeader(req), signal }, emit));
  }),
  route('POST', '/auth', async ({ api, req }) =>
    ok(await api.checkAuth(await readJson<RegistryAuthConfig>(req, 'auth'))),
  ),
];
