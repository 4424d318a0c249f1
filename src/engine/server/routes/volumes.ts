/** `/volumes/...`: list, create, inspect, remove, prune. */
import { requestedBelow } from '../api-version';
import { InvalidArgumentError } from '../../../common/errors';
import type { VolumeCreateOptions } from '../../../engine-api/volume/types';
import { bool, filters, NO_CONTENT, ok, readJsonBody, route, type Route } from '../route';
import { stripNulls } from '../body-check';
import type http from 'node:http';

const MAX_BODY = 1024 * 1024;

const isStringMap = (v: unknown): boolean =>
  v === undefined ||
  (!!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'));

/** The create body, shaped as docker's decoder accepts it (`null` absent). */
async function createBody(req: http.IncomingMessage): Promise<VolumeCreateOptions> {
  const raw = await readJsonBody(req, MAX_BODY);
  const body = (stripNulls(raw) ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidArgumentError('invalid JSON body');
  for (const key of ['Name', 'Driver'])
    if (body[key] !== undefined && typeof body[key] !== 'string')
      throw new InvalidArgumentError(
        `json: cannot unmarshal into Go struct field CreateOptions.${key} of type string`,
      );
  for (const key of ['DriverOpts', 'Labels'])
    if (!isStringMap(body[key]))
      throw new InvalidArgumentError(
        `json: cannot unmarshal into Go struct field CreateOptions.${key} of type map[string]string`,
      );
  return body as VolumeCreateOptions;
}

export const volumeRoutes: Route[] = [
  route('GET', '/volumes', async ({ api, query }) =>
    ok(await api.listVolumes({ filters: filters(query.get('filters')) })),
  ),
  route('POST', '/volumes/create', async ({ api, req }) => ({
    status: 201,
    body: await api.createVolume(await createBody(req)),
  })),
  route('POST', '/volumes/prune', async ({ api, query, req }) => {
    const f = filters(query.get('filters')) ?? {};
    // API 1.42 made prune take anonymous volumes only; dockerd gives older clients (the docker
    // CLI negotiates 1.41 here) the old behaviour, every unused volume, unless they say.
    if (!f.all && requestedBelow(req.url, '1.42')) f.all = ['true'];
    return ok(await api.pruneVolumes({ filters: f }));
  }),
  route('GET', '/volumes/{name}', async ({ api, params }) => ok(await api.inspectVolume(params.name))),
  route('DELETE', '/volumes/{name}', async ({ api, params, query }) => {
    await api.removeVolume(params.name, { force: bool(query, 'force') });
    return NO_CONTENT;
  }),
];
