/** ImageApi over HTTP: `/images/...` (import is a `POST /images/create?fromSrc=-` upload). */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorFromStatus } from '../errors';
import { enc, jsonLines, readAll, type Query, type Transport } from '../transport';
import type {
  ImageApi,
  ImageDeleteItem,
  ImageFilters,
  ImageHistoryItem,
  ImagePruneResponse,
  ImageSummary,
  ImportOptions,
} from './api';

export function imageClient(t: Transport): ImageApi {
  return {
    async importImage(tar: Readable, opts: ImportOptions = {}): Promise<{ Id: string }> {
      const query: Query = [
        ['fromSrc', '-'],
        ['repo', opts.repo],
        ['tag', opts.tag],
        ...(opts.changes ?? []).map((c): [string, string] => ['changes', c]),
        ['message', opts.message],
      ];
      const res = await t.send('POST', '/images/create', { query, upload: tar });
      let id: string | undefined;
      for (const msg of jsonLines(await readAll(res))) if (typeof msg.status === 'string') id = msg.status;
      if (!id) throw errorFromStatus(500, 'the import answered no image id');
      return { Id: id };
    },

    listImages(opts: { filters?: ImageFilters } = {}): Promise<ImageSummary[]> {
      const filters = opts.filters && JSON.stringify(opts.filters);
      return t.call('GET', '/images/json', { query: [['filters', filters]] });
    },

    imageHistory(ref: string): Promise<ImageHistoryItem[]> {
      return t.call('GET', `/images/${enc(ref)}/history`);
    },

    inspectImage(ref: string): Promise<Record<string, unknown>> {
      return t.call('GET', `/images/${enc(ref)}/json`);
    },

    removeImage(ref: string, opts: { force?: boolean } = {}): Promise<ImageDeleteItem[]> {
      return t.call('DELETE', `/images/${enc(ref)}`, { query: [['force', opts.force]] });
    },

    tagImage(source: string, repo: string, tag?: string): Promise<void> {
      return t.call('POST', `/images/${enc(source)}/tag`, {
        query: [
          ['repo', repo],
          ['tag', tag],
        ],
      });
    },

    pruneImages(opts: { all?: boolean; filters?: ImageFilters } = {}): Promise<ImagePruneResponse> {
      const all = opts.all ? { dangling: ['false'] } : {};
      const merged = { ...opts.filters, ...all };
      const filters = Object.keys(merged).length ? JSON.stringify(merged) : undefined;
      return t.call('POST', '/images/prune', { query: [['filters', filters]] });
    },

    /** The tar as it arrives; a refusal (an unknown image) fails the stream. */
    saveImages(refs: string[]): Readable {
      const out = new PassThrough();
      const query = refs.map((r): [string, string] => ['names', r]);
      t.send('GET', '/images/get', { query }).then(
        (res) => pipeline(res, out).catch((err: unknown) => out.destroy(err as Error)),
        (err: unknown) => out.destroy(err as Error),
      );
      return out;
    },

    async loadImages(tar: Readable): Promise<string[]> {
      const res = await t.send('POST', '/images/load', { query: [['quiet', '1']], upload: tar });
      return jsonLines(await readAll(res)).flatMap((m) => (m.stream ? [m.stream.replace(/\n$/, '')] : []));
    },
  };
}
