/**
 * The engine's HTTP API on a unix socket: Docker Engine API paths (with or without the
 * `/v1.41` prefix), field names, status codes and stream formats, each route one Engine API
 * call, the routes kept by resource in `routes/`. Finding a container by id, id prefix or name
 * is the api's job.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { NotFoundError, TscomposeError } from '../../common/errors';
import type { EngineApi } from '../../engine-api/engine-api';
import { API_VERSION } from '../../engine-api/version';
import { stripApiVersion } from './api-version';
import { clientMessage } from './error-text';
import { Hijacks } from './hijack';
import { decodePathPart, parseRequestUrl } from './request-url';
import { send, settledWithin } from './respond';
import { statusOf } from './status';
import type { Route } from './route';
import { archiveRoutes } from './routes/archive';
import { containerRoutes } from './routes/containers';
import { eventRoutes } from './routes/events';
import { execRoutes } from './routes/exec';
import { imageRoutes } from './routes/images';
import { networkRoutes } from './routes/networks';
import { registryRoutes } from './routes/registry';
import { systemRoutes } from './routes/system';
import { volumeRoutes } from './routes/volumes';

export interface EngineServer {
  close(): Promise<void>;
}

/** How long close waits for handlers to finish; a stop that ignores the abort may take its whole timeout. */
const CLOSE_GRACE_MS = 5_000;

const ROUTES: Route[] = [
  ...systemRoutes,
  ...containerRoutes,
  ...execRoutes,
  ...imageRoutes,
  ...networkRoutes,
  ...registryRoutes,
  ...volumeRoutes,
  ...eventRoutes,
  ...archiveRoutes,
];

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
  // dockerd's other headers the docker CLI reads from a ping (the daemon's OS)
  res.setHeader('Docker-Experimental', 'false');
  res.setHeader('Ostype', 'linux');
  try {
    const url = parseRequestUrl(req.url ?? '/');
    const pathname = stripApiVersion(url.pathname);
    let params: Record<string, string> | undefined;
    const found = ROUTES.find((r) => r.method === req.method && (params = match(r, pathname)));
    if (!found || !params) throw new NotFoundError('page not found');
    const reply = await found.handle({ api, params, query: url.searchParams, req, res, signal: ac.signal });
    if (reply) send(res, reply.status, reply.body);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = statusOf(err);
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
