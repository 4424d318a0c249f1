/** ContainerApi over HTTP: `/containers/...`, as docker's client sends them. */
import type { AttachOptions, Attachment } from '../attachment';
import type { OutputChunk } from '../output';
import { enc, sizeQuery, stopQuery, type Query, type Transport } from '../transport';
import type { ContainerApi, ListContainersOptions, WaitCondition } from './api';
import type { ContainerStats, StatsOptions } from './stats-types';
import type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTopResponse,
  ContainerUpdateBody,
  ContainerUpdateResponse,
  ContainersPruneResponse,
  ContainerWaitResponse,
  LogsOptions,
} from './types';

export function containerClient(t: Transport): ContainerApi {
  return {
    createContainer(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse> {
      return t.call('POST', '/containers/create', { query: [['name', name]], body });
    },

    startContainer(id: string): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/start`);
    },

    stopContainer(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/stop`, { query: stopQuery(opts) });
    },

    restartContainer(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/restart`, { query: stopQuery(opts) });
    },

    killContainer(id: string, signal?: string): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/kill`, { query: [['signal', signal]] });
    },

    removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
      return t.call('DELETE', `/containers/${enc(id)}`, {
        query: [
          ['force', opts.force],
          ['v', opts.volumes],
        ],
      });
    },

    listContainers(opts: ListContainersOptions = {}): Promise<ContainerSummary[]> {
      const filters =
        opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
      return t.call('GET', '/containers/json', {
        query: [
          ['all', opts.all],
          ['filters', filters],
          ['size', opts.size],
        ],
      });
    },

    inspectContainer(id: string, opts: { size?: boolean } = {}): Promise<ContainerInspect> {
      return t.call('GET', `/containers/${enc(id)}/json`, { query: [['size', opts.size]] });
    },

    containerLogs(id: string, opts: LogsOptions, signal?: AbortSignal): AsyncIterable<OutputChunk> {
      const query: Query = [
        ['follow', opts.follow],
        ['stdout', opts.stdout !== false],
        ['stderr', opts.stderr !== false],
        ['since', opts.since || undefined],
        ['until', opts.until || undefined],
        ['timestamps', opts.timestamps],
        ['tail', opts.tail],
      ];
      return t.frames('GET', `/containers/${enc(id)}/logs`, { query, signal });
    },

    waitContainer(
      id: string,
      condition?: WaitCondition,
      signal?: AbortSignal,
    ): Promise<ContainerWaitResponse> {
      return t.call('POST', `/containers/${enc(id)}/wait`, { query: [['condition', condition]], signal });
    },

    topContainer(id: string, psArgs?: string): Promise<ContainerTopResponse> {
      return t.call('GET', `/containers/${enc(id)}/top`, { query: [['ps_args', psArgs]] });
    },

    pauseContainer(id: string): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/pause`);
    },

    unpauseContainer(id: string): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/unpause`);
    },

    renameContainer(id: string, name: string): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/rename`, { query: [['name', name]] });
    },

    containerStats(id: string, opts: StatsOptions = {}, signal?: AbortSignal): AsyncIterable<ContainerStats> {
      const query: Query = [
        ['stream', opts.stream === false ? '0' : '1'],
        ['one-shot', opts.oneShot],
      ];
      return t.jsonStream('GET', `/containers/${enc(id)}/stats`, { query, signal });
    },

    attachContainer(id: string, opts: AttachOptions): Promise<Attachment> {
      const query = new URLSearchParams({ stream: opts.stream === false ? '0' : '1' });
      for (const key of ['stdin', 'stdout', 'stderr'] as const) if (opts[key]) query.set(key, '1');
      if (opts.detachKeys) query.set('detachKeys', opts.detachKeys);
      return t.hijack(`/containers/${enc(id)}/attach?${query}`);
    },

    resizeContainer(id: string, height: number, width: number): Promise<void> {
      return t.call('POST', `/containers/${enc(id)}/resize`, { query: sizeQuery(height, width) });
    },

    updateContainer(id: string, body: ContainerUpdateBody): Promise<ContainerUpdateResponse> {
      return t.call('POST', `/containers/${enc(id)}/update`, { body });
    },

    pruneContainers(filters?: Record<string, string[]>): Promise<ContainersPruneResponse> {
      const given = filters && Object.keys(filters).length ? JSON.stringify(filters) : undefined;
      return t.call('POST', '/containers/prune', { query: [['filters', given]] });
    },
  };
}
