/** `/_ping`, `/version`, `/info`, `/system/df` and the build cache's prune (there is none). */
import { ok, route, type Route } from '../route';
import { text } from '../respond';

export const systemRoutes: Route[] = [
  route('GET', '/_ping', async ({ res }) => text(res, 'OK')),
  route('HEAD', '/_ping', async ({ res }) => text(res, '')),
  route('GET', '/version', async ({ api }) => ok(await api.version())),
  route('GET', '/info', async ({ api }) => ok(await api.info())),
  route('GET', '/system/df', async ({ api }) => ok(await api.diskUsage())),
  // `docker system prune` asks for it after the others; a 404 would fail the whole command.
  route('POST', '/build/prune', async ({ api }) => ok(await api.pruneBuildCache())),
];
