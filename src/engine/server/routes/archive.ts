/**
 * A container's files: `/containers/{id}/archive` (HEAD stat, GET a tar, PUT extract a tar),
 * `/containers/{id}/export`, `/containers/{id}/changes` and `/commit`, as docker serves them for
 * `cp`, `export`, `diff` and `commit`.
 */
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '../../../common/errors';
import type { ContainerPathStat } from '../../../engine-api/container/archive-api';
import { sendTar } from '../respond';
import { bool, ok, route, type Route } from '../route';

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

const encodeStat = (stat: ContainerPathStat): string => Buffer.from(JSON.stringify(stat)).toString('base64');

function pathParam(query: URLSearchParams): string {
  const p = query.get('path');
  if (!p) throw new InvalidArgumentError('path cannot be empty');
  return p;
}

export const archiveRoutes: Route[] = [
  route('HEAD', '/containers/{id}/archive', async ({ api, params, query, res }) => {
    const stat = await api.statContainerPath(params.id, pathParam(query));
    res.writeHead(200, { [STAT_HEADER]: encodeStat(stat), 'Content-Type': 'application/json' }).end();
    return undefined;
  }),
  route('GET', '/containers/{id}/archive', async ({ api, params, query, res }) => {
    const { stat, tar } = await api.getContainerArchive(params.id, pathParam(query));
    res.writeHead(200, { [STAT_HEADER]: encodeStat(stat), 'Content-Type': 'application/x-tar' });
    await pipeline(tar, res);
    return undefined;
  }),
  route('PUT', '/containers/{id}/archive', async ({ api, params, query, req }) => {
    await api.putContainerArchive(params.id, pathParam(query), req, {
      noOverwriteDirNonDir: bool(query, 'noOverwriteDirNonDir'),
      copyUIDGID: bool(query, 'copyUIDGID'),
    });
    return ok(undefined);
  }),
  route('GET', '/containers/{id}/export', async (c) => sendTar(c, await c.api.exportContainer(c.params.id))),
  route('GET', '/containers/{id}/changes', async ({ api, params }) =>
    ok(await api.containerChanges(params.id)),
  ),
  route('POST', '/commit', async ({ api, query }) => {
    const container = query.get('container');
    if (!container) throw new InvalidArgumentError('container is required');
    const { Id } = await api.commitContainer({
      container,
      repo: query.get('repo') || undefined,
      tag: query.get('tag') || undefined,
      comment: query.get('comment') || undefined,
      author: query.get('author') || undefined,
      changes: query.getAll('changes').filter(Boolean),
      pause: query.has('pause') ? bool(query, 'pause') : true,
    });
    return { status: 201, body: { Id } };
  }),
];
