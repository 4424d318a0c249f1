/**
 * The EngineApi over the daemon's unix socket. The daemon's refusals come back as the same
 * error classes the engine threw, worded as docker prints them (`Error response from daemon:
 * ...`), so a command prints them as they are.
 */
import http from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { TscomposeError } from '../../common/errors';
import {
  BadRequestError,
  ConflictError,
  EngineError,
  NotFoundError,
  type EngineApi,
  type ImageDeleteItem,
  type ImagePruneResponse,
  type ImageSummary,
  type ImportOptions,
  type ListContainersOptions,
  type OutputChunk,
  type ProgressHandler,
  type PullImageOptions,
  type PushImageOptions,
  type RegistryAuthConfig,
  type WaitCondition,
} from './engine-api';
import type { AttachOptions, Attachment, ExecStartOptions } from './attachment';
import { hijack } from './client-hijack';
import { FrameDecoder } from '../../common/frames';
import type { EventsOptions } from './monitor-api';
import type { ContainerStats, StatsOptions } from './stats-types';
import { readProgress, splitReference } from './registry-routes';
import { networkClient } from '../../engine-api/network/client';
import type { NetworkApi } from '../../engine-api/network/api';
import {
  API_VERSION,
  type ContainerCreateBody,
  type ContainerCreateResponse,
  type ContainerInspect,
  type ContainerSummary,
  type ContainerTopResponse,
  type ContainerWaitResponse,
  type EngineEvent,
  type ExecCreateBody,
  type ExecInspect,
  type LogsOptions,
  type VersionResponse,
} from './types';

/** Nothing listens on the socket: the CLI may start the daemon. */
export class EngineUnreachableError extends TscomposeError {
  constructor(socketPath: string, cause: unknown) {
    super(`Cannot connect to the tscompose engine at unix://${socketPath}. Is the engine running?`, {
      code: 'ENGINE_UNREACHABLE',
      cause,
    });
  }
}

type QueryValue = string | number | boolean | undefined;
type Query = [string, QueryValue][];

interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Streamed as the request body (a tar). */
  upload?: Readable;
  signal?: AbortSignal;
  headers?: http.OutgoingHttpHeaders;
}

const DAEMON = 'Error response from daemon: ';

export class EngineClient implements EngineApi {
  // One kept-alive connection serves a command's many calls; idle ones do not hold the process.
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(readonly socketPath: string) {}

  // Networks: the contract's client (engine-api/network/client.ts) over this one's requests.
  private readonly networks = networkClient((method, path, opts) => this.call(method, path, opts));
  readonly listNetworks: NetworkApi['listNetworks'] = (o) => this.networks.listNetworks(o);
  readonly inspectNetwork: NetworkApi['inspectNetwork'] = (ref) => this.networks.inspectNetwork(ref);
  readonly createNetwork: NetworkApi['createNetwork'] = (body) => this.networks.createNetwork(body);
  readonly removeNetwork: NetworkApi['removeNetwork'] = (ref) => this.networks.removeNetwork(ref);
  readonly connectNetwork: NetworkApi['connectNetwork'] = (ref, body) =>
    this.networks.connectNetwork(ref, body);
  readonly disconnectNetwork: NetworkApi['disconnectNetwork'] = (ref, b) =>
    this.networks.disconnectNetwork(ref, b);
  readonly pruneNetworks: NetworkApi['pruneNetworks'] = (o) => this.networks.pruneNetworks(o);

  /** Drops idle connections. */
  close(): void {
    this.agent.destroy();
  }

  version(signal?: AbortSignal): Promise<VersionResponse> {
    return this.call('GET', '/version', { signal });
  }

  createContainer(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse> {
    return this.call('POST', '/containers/create', { query: [['name', name]], body });
  }

  startContainer(id: string): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/start`);
  }

  stopContainer(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/stop`, { query: stopQuery(opts) });
  }

  restartContainer(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/restart`, { query: stopQuery(opts) });
  }

  killContainer(id: string, signal?: string): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/kill`, { query: [['signal', signal]] });
  }

  removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    return this.call('DELETE', `/containers/${enc(id)}`, {
      query: [
        ['force', opts.force],
        ['v', opts.volumes],
      ],
    });
  }

  listContainers(opts: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    const filters =
      opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
    return this.call('GET', '/containers/json', {
      query: [
        ['all', opts.all],
        ['filters', filters],
      ],
    });
  }

  inspectContainer(id: string): Promise<ContainerInspect> {
    return this.call('GET', `/containers/${enc(id)}/json`);
  }

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
    return this.frames('GET', `/containers/${enc(id)}/logs`, { query, signal });
  }

  waitContainer(id: string, condition?: WaitCondition, signal?: AbortSignal): Promise<ContainerWaitResponse> {
    return this.call('POST', `/containers/${enc(id)}/wait`, { query: [['condition', condition]], signal });
  }

  topContainer(id: string, psArgs?: string): Promise<ContainerTopResponse> {
    return this.call('GET', `/containers/${enc(id)}/top`, { query: [['ps_args', psArgs]] });
  }

  createExec(id: string, body: ExecCreateBody): Promise<{ Id: string }> {
    return this.call('POST', `/containers/${enc(id)}/exec`, { body });
  }

  startExec(execId: string, signal?: AbortSignal): AsyncIterable<OutputChunk> {
    return this.frames('POST', `/exec/${enc(execId)}/start`, { body: { Detach: false, Tty: false }, signal });
  }

  inspectExec(execId: string): Promise<ExecInspect> {
    return this.call('GET', `/exec/${enc(execId)}/json`);
  }

  attachContainer(id: string, opts: AttachOptions): Promise<Attachment> {
    const query = new URLSearchParams({ stream: opts.stream === false ? '0' : '1' });
    for (const key of ['stdin', 'stdout', 'stderr'] as const) if (opts[key]) query.set(key, '1');
    if (opts.detachKeys) query.set('detachKeys', opts.detachKeys);
    const path = `/v${API_VERSION}/containers/${enc(id)}/attach?${query}`;
    return hijack({ socketPath: this.socketPath, path }, responseError);
  }

  startExecAttached(execId: string, opts: ExecStartOptions = {}): Promise<Attachment> {
    const path = `/v${API_VERSION}/exec/${enc(execId)}/start`;
    const body = { Detach: false, ConsoleSize: opts.consoleSize };
    return hijack({ socketPath: this.socketPath, path, body }, responseError);
  }

  resizeContainer(id: string, height: number, width: number): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/resize`, { query: sizeQuery(height, width) });
  }

  resizeExec(execId: string, height: number, width: number): Promise<void> {
    return this.call('POST', `/exec/${enc(execId)}/resize`, { query: sizeQuery(height, width) });
  }

  pauseContainer(id: string): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/pause`);
  }

  unpauseContainer(id: string): Promise<void> {
    return this.call('POST', `/containers/${enc(id)}/unpause`);
  }

  containerStats(id: string, opts: StatsOptions = {}, signal?: AbortSignal): AsyncIterable<ContainerStats> {
    const query: Query = [
      ['stream', opts.stream === false ? '0' : '1'],
      ['one-shot', opts.oneShot],
    ];
    return this.jsonStream('GET', `/containers/${enc(id)}/stats`, { query, signal });
  }

  events(opts: EventsOptions = {}, signal?: AbortSignal): AsyncIterable<EngineEvent> {
    const filters =
      opts.filters && Object.keys(opts.filters).length ? JSON.stringify(opts.filters) : undefined;
    const query: Query = [
      ['since', opts.since || undefined],
      ['until', opts.until || undefined],
      ['filters', filters],
    ];
    return this.jsonStream('GET', '/events', { query, signal });
  }

  async importImage(tar: Readable, opts: ImportOptions = {}): Promise<{ Id: string }> {
    const query: Query = [
      ['fromSrc', '-'],
      ['repo', opts.repo],
      ['tag', opts.tag],
      ...(opts.changes ?? []).map((c): [string, string] => ['changes', c]),
    ];
    const res = await this.send('POST', '/images/create', { query, upload: tar });
    let id: string | undefined;
    for (const msg of jsonLines(await readAll(res))) if (typeof msg.status === 'string') id = msg.status;
    if (!id) throw new EngineError(500, `${DAEMON}the import answered no image id`);
    return { Id: id };
  }

  listImages(): Promise<ImageSummary[]> {
    return this.call('GET', '/images/json');
  }

  inspectImage(ref: string): Promise<Record<string, unknown>> {
    return this.call('GET', `/images/${enc(ref)}/json`);
  }

  removeImage(ref: string, opts: { force?: boolean } = {}): Promise<ImageDeleteItem[]> {
    return this.call('DELETE', `/images/${enc(ref)}`, { query: [['force', opts.force]] });
  }

  tagImage(source: string, repo: string, tag?: string): Promise<void> {
    return this.call('POST', `/images/${enc(source)}/tag`, {
      query: [
        ['repo', repo],
        ['tag', tag],
      ],
    });
  }

  pruneImages(opts: { all?: boolean } = {}): Promise<ImagePruneResponse> {
    const filters = opts.all ? JSON.stringify({ dangling: ['false'] }) : undefined;
    return this.call('POST', '/images/prune', { query: [['filters', filters]] });
  }

  /** The tar as it arrives; a refusal (an unknown image) fails the stream. */
  saveImages(refs: string[]): Readable {
    const out = new PassThrough();
    const query = refs.map((r): [string, string] => ['names', r]);
    this.send('GET', '/images/get', { query }).then(
      (res) => pipeline(res, out).catch((err: unknown) => out.destroy(err as Error)),
      (err: unknown) => out.destroy(err as Error),
    );
    return out;
  }

  async loadImages(tar: Readable): Promise<string[]> {
    const res = await this.send('POST', '/images/load', { query: [['quiet', '1']], upload: tar });
    return jsonLines(await readAll(res)).flatMap((m) => (m.stream ? [m.stream.replace(/\n$/, '')] : []));
  }

  async pullImage(ref: string, opts: PullImageOptions = {}, onProgress?: ProgressHandler): Promise<void> {
    const { name, tag } = splitReference(ref);
    const query: Query = [
      ['fromImage', name],
      ['tag', tag],
      ['platform', opts.platform],
    ];
    const headers = opts.auth ? { 'X-Registry-Auth': opts.auth } : undefined;
    const res = await this.send('POST', '/images/create', { query, headers, signal: opts.signal });
    await readProgress(res, onProgress);
  }

  async pushImage(ref: string, opts: PushImageOptions = {}, onProgress?: ProgressHandler): Promise<void> {
    const { name, tag } = splitReference(ref);
    // dockerd wants the header even for an anonymous push: base64 of `{}`.
    const headers = { 'X-Registry-Auth': opts.auth ?? 'e30=' };
    const res = await this.send('POST', `/images/${enc(name)}/push`, {
      query: [['tag', tag]],
      headers,
      signal: opts.signal,
    });
    await readProgress(res, onProgress);
  }

  checkAuth(auth: RegistryAuthConfig): Promise<{ Status: string; IdentityToken?: string }> {
    return this.call('POST', '/auth', { body: auth });
  }

  /** A JSON answer, or undefined for an empty one (204). */
  private async call<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const text = await readAll(await this.send(method, path, opts));
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The response body as it arrives; ends with the response, or quietly when `signal` aborts. */
  private async *body(method: string, path: string, opts: RequestOptions): AsyncGenerator<Buffer> {
    let res: http.IncomingMessage;
    try {
      res = await this.send(method, path, opts);
    } catch (err) {
      if (opts.signal?.aborted) return;
      throw err;
    }
    try {
      yield* res as AsyncIterable<Buffer>;
    } catch (err) {
      if (opts.signal?.aborted) return;
      throw err;
    } finally {
      if (!res.complete) res.destroy();
    }
  }

  private async *frames(method: string, path: string, opts: RequestOptions): AsyncGenerator<OutputChunk> {
    const decoder = new FrameDecoder();
    for await (const chunk of this.body(method, path, opts)) {
      for (const f of decoder.push(chunk)) {
        if (f.stream === 'systemerr') throw new EngineError(500, DAEMON + f.data.toString());
        if (f.stream !== 'stdin' && f.data.length) yield { stream: f.stream, data: f.data };
      }
    }
    if (opts.signal?.aborted) return;
    if (!decoder.atBoundary) throw new EngineError(500, `${DAEMON}the output stream ended inside a frame`);
  }

  /** One JSON object a line (stats, events), each as soon as its line is complete. */
  private async *jsonStream<T>(method: string, path: string, opts: RequestOptions): AsyncGenerator<T> {
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for await (const chunk of this.body(method, path, opts)) {
      const lines = (carry + decoder.write(chunk)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) yield JSON.parse(line) as T;
    }
  }

  /** The response once its status says success; otherwise the daemon's error, as a typed error. */
  private send(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    const search = new URLSearchParams();
    for (const [key, value] of opts.query ?? []) {
      if (value === undefined || value === false || value === '') continue;
      search.append(key, value === true ? '1' : String(value));
    }
    const qs = search.size ? `?${search}` : '';
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: http.OutgoingHttpHeaders = payload
      ? { 'Content-Type': 'application/json', 'Content-Length': payload.length }
      : opts.upload
        ? { 'Content-Type': 'application/x-tar' }
        : {};
    Object.assign(headers, opts.headers);
    return new Promise((resolve, reject) => {
      // A unix socket has no TLS server name. Saying so spares the agent working one out, whose
      // first IP check compiles a large regular expression: 4–7 ms of every CLI command.
      const options: http.RequestOptions & { servername: string } = {
        socketPath: this.socketPath,
        agent: this.agent,
        servername: '',
        method,
        path: `/v${API_VERSION}${path}${qs}`,
        headers,
        signal: opts.signal,
      };
      const req = http.request(options);
      req.on('error', (err: NodeJS.ErrnoException) => {
        const unreachable = err.code === 'ENOENT' || err.code === 'ECONNREFUSED';
        reject(unreachable ? new EngineUnreachableError(this.socketPath, err) : err);
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 500;
        if (status < 400) return resolve(res);
        readAll(res).then((text) => {
          reject(responseError(status, text));
          // Refused: the rest of an upload has nowhere to go, and an unfinished request would hold the socket.
          if (opts.upload) {
            opts.upload.unpipe(req);
            req.destroy();
          }
        }, reject);
      });
      if (opts.upload) {
        opts.upload.on('error', (err) => req.destroy(err));
        opts.upload.pipe(req);
      } else req.end(payload);
    });
  }
}

interface JsonMessage {
  status?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Docker's JSON-lines replies (import, load): an error line fails the call. */
function jsonLines(text: string): JsonMessage[] {
  const out: JsonMessage[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const msg = JSON.parse(line) as JsonMessage;
    if (msg.error || msg.errorDetail)
      throw new EngineError(500, DAEMON + (msg.errorDetail?.message ?? msg.error));
    out.push(msg);
  }
  return out;
}

function responseError(status: number, text: string): EngineError {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not Docker's JSON error body: the text is the message.
  }
  const full = DAEMON + message;
  if (status === 404) return new NotFoundError(full);
  if (status === 409) return new ConflictError(full);
  if (status === 400) return new BadRequestError(full);
  return new EngineError(status, full);
}

function sizeQuery(height: number, width: number): Query {
  return [
    ['h', height],
    ['w', width],
  ];
}

function stopQuery(opts: { timeout?: number; signal?: string }): Query {
  return [
    ['t', opts.timeout],
    ['signal', opts.signal],
  ];
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
