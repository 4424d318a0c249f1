/** `/networks/...`: list, inspect, create, remove, connect, disconnect, prune. */
import { connectRequest, createRequest, disconnectRequest, readBody } from '../network-bodies';
import { filters, NO_CONTENT, ok, route, type Route } from '../route';

export const networkRoutes: Route[] = [
  route('GET', '/networks', async ({ api, query }) =>
    ok(await api.listNetworks({ filters: filters(query.get('filters')) })),
  ),
  route('POST', '/networks/create', async ({ api, req }) => ({
    status: 201,
    body: await api.createNetwork(createRequest(await readBody(req))),
  })),
  route('POST', '/networks/prune', async ({ api, query }) =>
    ok(await api.pruneNetworks({ filters: filters(query.get('filters')) })),
  ),
  route('GET', '/networks/{id}', async ({ api, params }) => ok(await api.inspectNetwork(params.id))),
  route('DELETE', '/networks/{id}', async ({ api, params }) => {
    await api.removeNetwork(params.id);
    return NO_CONTENT;
  }),
  route('POST', '/networks/{id}/connect', async ({ api, params, req }) => {
    await api.connectNetwork(params.id, connectRequest(await readBody(req)));
    return { status: 200 };
  }),
  route('POST', '/networks/{id}/disconnect', async ({ api, params, req }) => {
    await api.disconnectNetwork(params.id, disconnectRequest(await readBody(req)));
    return { status: 200 };
  }),
];
