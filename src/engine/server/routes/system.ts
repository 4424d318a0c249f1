/** `/_ping` and `/version`. */
import { ok, route, type Route } from '../route';
import { text } from '../respond';

export const systemRoutes: Route[] = [
  route('GET', '/_ping', async ({ res }) => text(res, 'OK')),
  route('HEAD', '/_ping', async ({ res }) => text(res, '')),
  route('GET', '/version', async ({ api }) => ok(await api.version())),
];
