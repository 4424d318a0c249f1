/** ArchiveApi over HTTP: `/containers/{id}/archive|export|changes` and `/commit`, as docker's client sends them. */
import type { Readable } from 'node:stream';
import { errorFromStatus } from '../errors';
import { enc, readAll, type Transport } from '../transport';
import type {
  ArchiveApi,
  CommitOptions,
  ContainerChange,
  ContainerPathStat,
  PutArchiveOptions,
} from './archive-api';

export const PATH_STAT_HEADER = 'x-docker-container-path-stat';

/** The base64 JSON header docker puts on HEAD and GET of an archive. */
export function decodePathStat(header: string | string[] | undefined): ContainerPathStat {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) throw errorFromStatus(500, 'the engine answered no path stat');
  return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as ContainerPathStat;
}

export function archiveClient(t: Transport): ArchiveApi {
  return {
    async statContainerPath(id: string, path: string): Promise<ContainerPathStat> {
      const res = await t.send('HEAD', `/containers/${enc(id)}/archive`, { query: [['path', path]] });
      await readAll(res);
      return decodePathStat(res.headers[PATH_STAT_HEADER]);
    },

    async getContainerArchive(id: string, path: string): Promise<{ stat: ContainerPathStat; tar: Readable }> {
      const res = await t.send('GET', `/containers/${enc(id)}/archive`, { query: [['path', path]] });
      return { stat: decodePathStat(res.headers[PATH_STAT_HEADER]), tar: res };
    },

    async putContainerArchive(
      id: string,
      path: string,
      tar: Readable,
      opts: PutArchiveOptions = {},
    ): Promise<void> {
      const query: [string, boolean | string][] = [
        ['path', path],
        ['noOverwriteDirNonDir', opts.noOverwriteDirNonDir === true],
        ['copyUIDGID', opts.copyUIDGID === true],
      ];
      await readAll(await t.send('PUT', `/containers/${enc(id)}/archive`, { query, upload: tar }));
    },

    async exportContainer(id: string): Promise<Readable> {
      return t.send('GET', `/containers/${enc(id)}/export`, {});
    },

    async containerChanges(id: string): Promise<ContainerChange[]> {
      return (await t.call<ContainerChange[] | null>('GET', `/containers/${enc(id)}/changes`)) ?? [];
    },

    async commitContainer(o: CommitOptions): Promise<{ Id: string }> {
      return t.call('POST', '/commit', {
        query: [
          ['container', o.container],
          ['repo', o.repo],
          ['tag', o.tag],
          ['comment', o.comment],
          ['author', o.author],
          ['pause', o.pause === false ? '0' : '1'],
          ...(o.changes ?? []).map((c): [string, string] => ['changes', c]),
        ],
      });
    },
  };
}
