/**
 * The engine's HTTP API on a unix socket: Docker Engine API paths (with or without the
 * `/v1.41` prefix), field names, status codes and stream formats, each route one EngineApi
 * call. Finding a container by id, id prefix or name is the api's job.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TscomposeError } from '../../common/errors';
import {
  BadRequestError,
  EngineError,
  type EngineApi,
  type OutputChunk,
  type RegistryAuthConfig,
  type WaitCondition,
} from './engine-api';
import { encodeFrame, MULTIPLEXED_CONTENT_TYPE } from '../../common/frames';
import { checkBody, type BodyKind } from './body-check';
import { clientMessage } from './error-text';
import { attachOptions, Hijacks, streamOverResponse, type ExecStartBody } from './hijack';
import { joinReference, registryAuthHeader, sendProgress } from './registry-routes';
import { decodePathPart, parseRequestUrl } from './request-url';
import { API_VERSION, type ContainerCreateBody, type ExecCreateBody } from './types';
import { networkRoutes } from '../networks/routes';

export interface EngineServer {
  close(): Promise<void>;
}

interface Ctx {
  api: EngineApi;
  params: Record<string, string>;
  query: URLSearchParams;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Aborts when the client goes away, so a follower or a waiter stops. */
  signal: AbortSignal;
}

/** What a route answers; `undefined` when it has written the response itself (streams). */
type Reply = { status: number; body?: unknown } | undefined;

interface Route {
  method: string;
  re: RegExp;
  names: string[];
  handle: (c: Ctx) => Promise<Reply>;
}

const NO_CONTENT: Reply = { status: 204 };
const ok = (body: unknown): Reply => ({ status: 200, body });
/** How long a stream may wait for its first chunk before the headers go out: until then an error still gets its status. */
const HEADER_GRACE_MS = 50;
/** How long close waits for handlers to finish; a stop that ignores the abort may take its whole timeout. */
const CLOSE_GRACE_MS = 5_000;
const MAX_JSON_BODY = 16 * 1024 * 1024;
const WAIT_CONDITIONS: WaitCondition[] = ['not-running', 'next-exit', 'removed'];

const ROUTES: Route[] = [
  route('GET', '/_ping', async ({ res }) => text(res, 'OK')),
  route('HEAD', '/_ping', async ({ res }) => text(res, '')),
  route('GET', '/version', async ({ api }) => ok(await api.version())),
  route('POST', '/containers/create', async ({ api, query, req }) => ({
    status: 201,
    body: await api.createContainer(
      await readJson<ContainerCreateBody>(req, 'containerCreate'),
      query.get('name') || undefined,
    ),
  })),
  route('GET', '/containers/json', async ({ api, query }) =>
    ok(await api.listContainers({ all: bool(query, 'all'), filters: filters(query.get('filters')) })),
  ),
  route('GET', '/containers/{id}/json', async ({ api, params }) => ok(await api.inspectContainer(params.id))),
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
      throw new BadRequestError('Bad parameters: you must choose at least one stream');
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
  route('POST', '/containers/{id}/wait', async ({ api, params, query, signal }) => {
    const condition = (query.get('condition') || 'not-running') as WaitCondition;
    if (!WAIT_CONDITIONS.includes(condition)) throw new BadRequestError(`invalid condition: "${condition}"`);
    return ok(await api.waitContainer(params.id, condition, signal));
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
  route('GET', '/containers/{id}/stats', async (c) => {
    // docker streams unless told otherwise
    const stream = c.query.has('stream') ? bool(c.query, 'stream') : true;
    const opts = { stream, oneShot: bool(c.query, 'one-shot') };
    return sendJsonLines(c, c.api.containerStats(c.params.id, opts, c.signal));
  }),
  route('GET', '/events', async (c) => {
    const opts = {
      since: num(c.query, 'since'),
      until: num(c.query, 'until'),
      filters: filters(c.query.get('filters')),
    };
    return sendJsonLines(c, c.api.events(opts, c.signal));
  }),
  route('POST', '/containers/{id}/exec', async ({ api, params, req }) => ({
    status: 201,
    body: await api.createExec(params.id, await readJson<ExecCreateBody>(req, 'execCreate')),
  })),
  route('POST', '/containers/{id}/attach', async (c) =>
    streamOverResponse(c.res, await c.api.attachContainer(c.params.id, attachOptions(c.query))),
  ),
  route('POST', '/containers/{id}/resize', async ({ api, params, query }) => {
    await api.resizeContainer(params.id, ...terminalSize(query));
    return { status: 200 };
  }),
  route('POST', '/exec/{id}/resize', async ({ api, params, query }) => {
    await api.resizeExec(params.id, ...terminalSize(query));
    return { status: 201 };
  }),
  route('POST', '/exec/{id}/start', async (c) => {
    const body = await readJson<ExecStartBody>(c.req, 'execStart');
    if (body.Tty && !body.Detach)
      return streamOverResponse(
        c.res,
        await c.api.startExecAttached(c.params.id, { consoleSize: body.ConsoleSize }),
      );
    if (!body.Detach) return sendFrames(c, c.api.startExec(c.params.id, c.signal));
    // Detached: the exec runs on after this answer, its output goes nowhere.
    const it = c.api.startExec(c.params.id)[Symbol.asyncIterator]();
    const first = it.next();
    await settledWithin(first, HEADER_GRACE_MS);
    void drain(it, first);
    return { status: 200 };
  }),
  route('GET', '/exec/{id}/json', async ({ api, params }) => ok(await api.inspectExec(params.id))),
  route('POST', '/images/create', async ({ api, query, req, res, signal }) => {
    const from = query.get('fromImage');
    if (from) {
      const ref = joinReference(from, query.get('tag'));
      const opts = { platform: query.get('platform') || undefined, auth: registryAuthHeader(req), signal };
      return sendProgress(res, (emit) => api.pullImage(ref, opts, emit));
    }
    if (query.get('fromSrc') !== '-')
      throw new BadRequestError('only importing an uploaded tar (fromSrc=-) is supported');
    const { Id } = await api.importImage(req, {
      repo: query.get('repo') || undefined,
      tag: query.get('tag') || undefined,
      changes: query.getAll('changes'),
    });
    // Docker's JSON-lines progress; the last message names the image.
    return { status: 200, body: `${JSON.stringify({ status: Id })}\r\n` };
  }),
  route('GET', '/images/json', async ({ api }) => ok(await api.listImages())),
  route('GET', '/images/{name*}/json', async ({ api, params }) => ok(await api.inspectImage(params.name))),
  route('DELETE', '/images/{name*}', async ({ api, params, query }) =>
    ok(await api.removeImage(params.name, { force: bool(query, 'force') })),
  ),
  route('POST', '/images/{name*}/push', async ({ api, params, query, req, res, signal }) => {
    const ref = joinReference(params.name, query.get('tag'));
    return sendProgress(res, (emit) => api.pushImage(ref, { auth: registryAuthHeader(req), signal }, emit));
  }),
  route('POST', '/auth', async ({ api, req }) =>
    ok(await api.checkAuth(await readJson<RegistryAuthConfig>(req, 'auth'))),
  ),
  route('POST', '/images/{name*}/tag', async ({ api, params, query }) => {
    if (!query.get('repo')) throw new BadRequestError('repository name must have at least one component');
    await api.tagImage(params.name, query.get('repo') as string, query.get('tag') || undefined);
    return { status: 201 };
  }),
  route('POST', '/images/prune', async ({ api, query }) => {
    const dangling = filters(query.get('filters'))?.dangling ?? [];
    return ok(await api.pruneImages({ all: dangling.some((v) => ['false', '0'].includes(v)) }));
  }),
  route('GET', '/images/get', async (c) => sendTar(c, c.api.saveImages(c.query.getAll('names')))),
  route('GET', '/images/{name*}/get', async (c) => sendTar(c, c.api.saveImages([c.params.name]))),
  route('POST', '/images/load', async ({ api, req }) => {
    const lines = await api.loadImages(req);
    return { status: 200, body: lines.map((l) => `${JSON.stringify({ stream: `${l}\n` })}\r\n`).join('') };
  }),
];

/** `{id}` is one path segment; `{name*}` may hold slashes, as image names do. */
// Networks: definitions of their own (networks/routes.ts), mounted here.
ROUTES.push(
  ...networkRoutes.map((d) =>
    route(d.method, d.path, async ({ api, params, query, req }) =>
      d.handle({ api, params, filters: filters(query.get('filters')), req }),
    ),
  ),
);

function route(method: string, pattern: string, handle: Route['handle']): Route {
  const names: string[] = [];
  const source = pattern.replace(/\{(\w+)(\*?)\}/g, (_m, name: string, many: string) => {
    names.push(name);
    return many ? '(.+)' : '([^/]+)';
  });
  return { method, re: new RegExp(`^${source}$`), names, handle };
}

export async function serveEngine(
  api: EngineApi,
  socketPath: string,
  opts: { log?: (line: string) => void } = {},
): Promise<EngineServer> {
  const log = opts.log ?? (() => undefined);
  await claimSocket(socketPath);
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    const handling = dispatch(api, req, res, log).finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  // Image uploads may take longer than node's default limit for receiving a whole request.
  server.requestTimeout = 0;
  // attach and exec start hijack the connection when asked to (docker's `Upgrade: tcp`).
  const hijacks = new Hijacks(api, log);
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
    hijacks.handle(req, socket, head),
  );
  server.listen(socketPath);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err))]);
  fs.chmodSync(socketPath, 0o660);
  server.on('error', (err) => log(`api server: ${err.message}`));
  return {
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Followers and waiters hold their connections open; closing them aborts their signals.
      server.closeAllConnections();
      hijacks.closeAll();
      await closed;
      // The handlers see their abort; the engine should not close under one still unwinding.
      await settledWithin(Promise.allSettled(inFlight), CLOSE_GRACE_MS);
      fs.rmSync(socketPath, { force: true });
    },
  };
}

/** A socket file left by a daemon that died is removed; one that answers belongs to a live engine. */
async function claimSocket(socketPath: string): Promise<void> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o755 });
  let st: fs.Stats;
  try {
    st = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!st.isSocket())
    throw new TscomposeError(`${socketPath} exists and is not a socket`, { code: 'ENGINE_SOCKET' });
  const answers = await new Promise<boolean>((resolve) => {
    const s = net.connect(socketPath, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
  if (answers)
    throw new TscomposeError(`another engine is running on ${socketPath}`, { code: 'ENGINE_RUNNING' });
  fs.rmSync(socketPath, { force: true });
}

async function dispatch(
  api: EngineApi,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  res.setHeader('Api-Version', API_VERSION);
  try {
    const url = parseRequestUrl(req.url ?? '/');
    const pathname = url.pathname.replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
    let params: Record<string, string> | undefined;
    const found = ROUTES.find((r) => r.method === req.method && (params = match(r, pathname)));
    if (!found || !params) throw new EngineError(404, 'page not found');
    const reply = await found.handle({ api, params, query: url.searchParams, req, res, signal: ac.signal });
    if (reply) send(res, reply.status, reply.body);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = err instanceof EngineError ? err.status : 500;
    if (status >= 500)
      log(`${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    send(res, status, { message: clientMessage(err) });
  }
}

function match(r: Route, pathname: string): Record<string, string> | undefined {
  const m = r.re.exec(pathname);
  if (!m) return undefined;
  return Object.fromEntries(r.names.map((name, i) => [name, decodePathPart(m[i + 1])]));
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

async function text(res: http.ServerResponse, body: string): Promise<Reply> {
  res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
  return undefined;
}

/**
 * Multiplexed frames, one per chunk. An error before the first chunk still answers with its
 * status; one after the headers went out travels as a systemerr frame, as docker's does.
 */
function sendFrames(c: Ctx, chunks: AsyncIterable<OutputChunk>): Promise<Reply> {
  return sendStream(
    c,
    chunks,
    MULTIPLEXED_CONTENT_TYPE,
    (v) => encodeFrame(v.stream, v.data),
    (err) => encodeFrame('systemerr', clientMessage(err)),
  );
}

/** One JSON object a line (stats, events); an error after the headers can only end the stream. */
function sendJsonLines(c: Ctx, items: AsyncIterable<unknown>): Promise<Reply> {
  return sendStream(c, items, 'application/json', (v) => `${JSON.stringify(v)}\n`);
}

/** A streamed answer: the first item decides the status if it comes (or fails) within the grace. */
async function sendStream<T>(
  c: Ctx,
  items: AsyncIterable<T>,
  contentType: string,
  encode: (item: T) => Buffer | string,
  encodeError?: (err: unknown) => Buffer | string,
): Promise<Reply> {
  const it = items[Symbol.asyncIterator]();
  const first = it.next();
  const early = await settledWithin(first, HEADER_GRACE_MS);
  c.res.writeHead(200, { 'Content-Type': contentType });
  c.res.flushHeaders();
  try {
    for (let r = early ?? (await first); !r.done; r = await it.next()) {
      if (!c.res.write(encode(r.value))) await once(c.res, 'drain', { signal: c.signal });
    }
  } catch (err) {
    if (!c.signal.aborted && encodeError) c.res.write(encodeError(err));
  } finally {
    await it.return?.();
  }
  c.res.end();
  return undefined;
}

/** A tar download (`docker save`): a failure midway cuts the connection, so the client never takes a short tar for a whole one. */
async function sendTar(c: Ctx, tar: Readable): Promise<Reply> {
  c.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(tar, c.res);
  return undefined;
}

/** The value when `p` settles within `ms`, else undefined; a rejection within `ms` is thrown. */
async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function drain(it: AsyncIterator<unknown>, first: Promise<IteratorResult<unknown>>): Promise<void> {
  try {
    for (let r = await first; !r.done; r = await it.next());
  } catch {
    // Nobody is listening to a detached exec: its failure shows in its inspect.
  }
}

async function readJson<T>(req: http.IncomingMessage, kind: BodyKind): Promise<T> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY) throw new BadRequestError('request body too large');
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString('utf8').trim();
  let parsed: unknown = {};
  try {
    if (text) parsed = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`invalid JSON body: ${(err as Error).message}`);
  }
  return checkBody<T>(kind, parsed);
}

/** Docker's boolean query values: empty, 0, no, false and none are false. */
function bool(q: URLSearchParams, key: string): boolean {
  const v = (q.get(key) ?? '').trim().toLowerCase();
  return !['', '0', 'no', 'false', 'none'].includes(v);
}

function num(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new BadRequestError(`invalid value for ${key}: ${JSON.stringify(v)}`);
  return n;
}

/** `?h=&w=`: rows and columns, as docker's resize takes them. */
function terminalSize(q: URLSearchParams): [height: number, width: number] {
  const [h, w] = [num(q, 'h') ?? 0, num(q, 'w') ?? 0];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 0 || w < 0)
    throw new BadRequestError(`invalid terminal size: ${q.get('h')}x${q.get('w')}`);
  return [h, w];
}

function stopOptions(q: URLSearchParams): { timeout?: number; signal?: string } {
  const timeout = num(q, 't');
  if (timeout !== undefined && !Number.isInteger(timeout))
    throw new BadRequestError(`invalid value for t: ${JSON.stringify(q.get('t'))}`);
  return { timeout, signal: q.get('signal') || undefined };
}

/** Docker's filters: `{"label":["a=b"]}`, or the older `{"label":{"a=b":true}}`. */
function filters(raw: string | null): Record<string, string[]> | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadRequestError(`invalid filters: ${raw}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new BadRequestError(`invalid filters: ${raw}`);
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value;
    else if (value && typeof value === 'object')
      out[key] = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] === true);
    else throw new BadRequestError(`invalid filters: ${raw}`);
  }
  return out;
}
