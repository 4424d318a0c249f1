/**
 * `POST /containers/prune` (`docker container prune`, and the first call of `system prune`).
 * Kept last in the route table: a route of the same path among the container routes wins.
 */
import { filters, ok, route, type Route } from '../route';

export const containerPruneRoutes: Route[] = [
  route('POST', '/containers/prune', async ({ api, query }) =>
    ok(await api.pruneContainers({ filters: filters(query.get('filters')) })),
  ),
];
