/** `/containers/...`: lifecycle, listing, inspect, logs, wait, top, pause, stats, attach, resize. */
import { InvalidArgumentError } from '../../../common/errors';
import type { WaitCondition } from '../../../engine-api/container/api';
import type { ContainerCreateBody } from '../../../engine-api/container/types';
import { attachOptions, streamOverResponse } from '../hijack';
import { headersNowBodyLater } from '../late-body';
import { checkUpdateBody } from '../update-body';
import { sendFrames, sendJsonLines } from '../respond';
import {
  bool,
  filters,
  NO_CONTENT,
  num,
  ok,
  readJson,
  readJsonBody,
  route,
  stopOptions,
  terminalSize,
  type Route,
} from '../route';

const WAIT_CONDITIONS: WaitCondition[] = ['not-running', 'next-exit', 'removed'];

export const containerRoutes: Route[] = [
  route('POST', '/containers/create', async ({ api, query, req }) => ({
    status: 201,
    body: await api.createContainer(
      await readJson<ContainerCreateBody>(req, 'containerCreate'),
      query.get('name') || undefined,
    ),
  })),
  route('GET', '/containers/json', async ({ api, query }) =>
    ok(
      await api.listContainers({
        all: bool(query, 'all'),
        filters: filters(query.get('filters')),
        // asked for only: a walk of every writable layer
        ...(bool(query, 'size') ? { size: true } : {}),
      }),
    ),
  ),
  route('GET', '/containers/{id}/json', async ({ api, params, query }) =>
    ok(await api.inspectContainer(params.id, { size: bool(query, 'size') })),
  ),
  route('POST', '/containers/{id}/start', async ({ api, params }) => {
    await api.startContainer(params.id);
    return NO_CONTENT;
  }),
  route('POST', '/containers/{id}/stop', async ({ api, params, query }) => {
    await api.stopContainer(params.id, stopOptions(query));
    return NO_CONTENT;
  }),
  route('POST', '/containers/{id}/restart', async ({ api, params, query }) => {
    await api.restartContainer(params.id, stopOptions(query));
    return NO_CONTENT;
  }),
  route('POST', '/containers/{id}/kill', async ({ api, params, query }) => {
    await api.killContainer(params.id, query.get('signal') || undefined);
    return NO_CONTENT;
  }),
  route('DELETE', '/containers/{id}', async ({ api, params, query }) => {
    await api.removeContainer(params.id, { force: bool(query, 'force'), volumes: bool(query, 'v') });
    return NO_CONTENT;
  }),
  route('GET', '/containers/{id}/logs', async (c) => {
    if (!bool(c.query, 'stdout') && !bool(c.query, 'stderr'))
      throw new InvalidArgumentError('Bad parameters: you must choose at least one stream');
    const opts = {
      follow: bool(c.query, 'follow'),
      stdout: bool(c.query, 'stdout'),
      stderr: bool(c.query, 'stderr'),
      since: num(c.query, 'since'),
      until: num(c.query, 'until'),
      timestamps: bool(c.query, 'timestamps'),
      tail: c.query.get('tail') ?? undefined,
    };
    return sendFrames(c, c.api.containerLogs(c.params.id, opts, c.signal));
  }),
  route('POST', '/containers/{id}/wait', async (c) => {
    const condition = (c.query.get('condition') || 'not-running') as WaitCondition;
    if (!WAIT_CONDITIONS.includes(condition))
      throw new InvalidArgumentError(`invalid condition: "${condition}"`);
    const exited = c.api.waitContainer(c.params.id, condition, c.signal);
    return headersNowBodyLater(c, exited, (Message) => ({ StatusCode: -1, Error: { Message } }));
  }),
  route('GET', '/containers/{id}/top', async ({ api, params, query }) =>
    ok(await api.topContainer(params.id, query.get('ps_args') || undefined)),
  ),
  route('POST', '/containers/{id}/pause', async ({ api, params }) => {
    await api.pauseContainer(params.id);
    return NO_CONTENT;
  }),
  route('POST', '/containers/{id}/unpause', async ({ api, params }) => {
    await api.unpauseContainer(params.id);
    return NO_CONTENT;
  }),
  route('POST', '/containers/{id}/rename', async ({ api, params, query }) => {
    await api.renameContainer(params.id, query.get('name') ?? '');
    return NO_CONTENT;
  }),
  route('GET', '/containers/{id}/stats', async (c) => {
    // docker streams unless told otherwise
    const stream = c.query.has('stream') ? bool(c.query, 'stream') : true;
    const opts = { stream, oneShot: bool(c.query, 'one-shot') };
    return sendJsonLines(c, c.api.containerStats(c.params.id, opts, c.signal));
  }),
  route('POST', '/containers/{id}/attach', async (c) =>
    streamOverResponse(c.res, await c.api.attachContainer(c.params.id, attachOptions(c.query))),
  ),
  route('POST', '/containers/{id}/update', async ({ api, params, req }) =>
    ok(await api.updateContainer(params.id, checkUpdateBody(await readJsonBody(req)))),
  ),
  route('POST', '/containers/prune', async ({ api, query }) =>
    ok(await api.pruneContainers(filters(query.get('filters')))),
  ),
  route('POST', '/containers/{id}/resize', async ({ api, params, query }) => {
    await api.resizeContainer(params.id, ...terminalSize(query));
    return { status: 200 };
  }),
];
