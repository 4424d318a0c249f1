/** `/images/...`: pull or import (`/images/create`), list, inspect, history, remove, tag, prune, save, load. */
import { InvalidArgumentError } from '../../../common/errors';
import { joinReference, registryAuthHeader, sendProgress } from '../progress';
import { sendTar } from '../respond';
import { bool, filters, ok, route, type Route } from '../route';

export const imageRoutes: Route[] = [
  route('POST', '/images/create', async ({ api, query, req, res, signal }) => {
    const from = query.get('fromImage');
    if (from) {
      const ref = joinReference(from, query.get('tag'));
      const opts = { platform: query.get('platform') || undefined, auth: registryAuthHeader(req), signal };
      return sendProgress(res, (emit) => api.pullImage(ref, opts, emit));
    }
    if (query.get('fromSrc') !== '-')
      throw new InvalidArgumentError('only importing an uploaded tar (fromSrc=-) is supported');
    const { Id } = await api.importImage(req, {
      repo: query.get('repo') || undefined,
      tag: query.get('tag') || undefined,
      changes: query.getAll('changes'),
      ...(query.get('message') ? { message: query.get('message') as string } : {}),
    });
    // Docker's JSON-lines progress; the last message names the image.
    return { status: 200, body: `${JSON.stringify({ status: Id })}\r\n` };
  }),
  route('GET', '/images/json', async ({ api, query }) =>
    ok(await api.listImages({ filters: filters(query.get('filters')) })),
  ),
  route('GET', '/images/{name*}/json', async ({ api, params }) => ok(await api.inspectImage(params.name))),
  route('GET', '/images/{name*}/history', async ({ api, params }) => ok(await api.imageHistory(params.name))),
  route('DELETE', '/images/{name*}', async ({ api, params, query }) =>
    ok(await api.removeImage(params.name, { force: bool(query, 'force') })),
  ),
  route('POST', '/images/{name*}/tag', async ({ api, params, query }) => {
    if (!query.get('repo'))
      throw new InvalidArgumentError('repository name must have at least one component');
    await api.tagImage(params.name, query.get('repo') as string, query.get('tag') || undefined);
    return { status: 201 };
  }),
  route('POST', '/images/prune', async ({ api, query }) =>
    ok(await api.pruneImages({ filters: filters(query.get('filters')) })),
  ),
  route('GET', '/images/get', async (c) => sendTar(c, c.api.saveImages(c.query.getAll('names')))),
  route('GET', '/images/{name*}/get', async (c) => sendTar(c, c.api.saveImages([c.params.name]))),
  route('POST', '/images/load', async ({ api, req }) => {
    const lines = await api.loadImages(req);
    return { status: 200, body: lines.map((l) => `${JSON.stringify({ stream: `${l}\n` })}\r\n`).join('') };
  }),
];
