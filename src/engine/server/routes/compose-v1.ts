/**
 * What docker-compose 1.29 (through docker-py) asks of the engine beyond the other routes. Kept
 * last in the route table: a route of the same path elsewhere wins.
 */
import { ok, route, type Route } from '../route';

export const composeV1Routes: Route[] = [
  // compose calls `info` before every `up` only to warn about swarm mode; a fuller `info` (the
  // docker CLI's) lives with the system routes, and is found first when it is there.
  route('GET', '/info', async ({ api }) => {
    const v = await api.version();
    return ok({
      ServerVersion: v.Version,
      OSType: v.Os,
      Architecture: v.Arch,
      KernelVersion: v.KernelVersion,
      Swarm: { LocalNodeState: 'inactive' },
    });
  }),
];
