/**
 * One HTTP(S) exchange with a registry or a token server over node:http/https: kept-alive
 * connections, GET/HEAD redirects followed (blob storage often lives elsewhere) without leaking
 * the registry's Authorization to another host, and an idle timeout so a stalled server fails
 * the pull instead of hanging it.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { RegistryError } from './errors';

export interface SendOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: Buffer | Readable;
  signal?: AbortSignal;
  /** An insecure registry: TLS without certificate verification. */
  insecureTls?: boolean;
}

const MAX_REDIRECTS = 5;
const IDLE_TIMEOUT_MS = 60_000;
const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
  insecure: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
};

export async function send(url: URL, opts: SendOptions = {}): Promise<http.IncomingMessage> {
  let current = url;
  let headers = { ...opts.headers };
  for (let hop = 0; ; hop++) {
    const res = await onceRetried(current, { ...opts, headers });
    const method = opts.method ?? 'GET';
    const redirect = [301, 302, 303, 307, 308].includes(res.statusCode ?? 0) && res.headers.location;
    if (!redirect || !['GET', 'HEAD'].includes(method)) return res;
    res.resume();
    if (hop >= MAX_REDIRECTS)
      throw new RegistryError(500, `too many redirects fetching ${url.origin}${url.pathname}`);
    const next = new URL(redirect, current);
    if (next.origin !== current.origin) {
      headers = { ...headers };
      delete headers.authorization;
      delete headers.Authorization;
    }
    current = next;
  }
}

/**
 * A kept-alive connection the server closed meanwhile fails at once with a reset: that request
 * never reached the server, so it is sent again on a new connection (unless its body was a stream).
 */
async function onceRetried(url: URL, opts: SendOptions): Promise<http.IncomingMessage> {
  try {
    return await once(url, opts);
  } catch (err) {
    const stale =
      (err as { reusedSocket?: boolean }).reusedSocket &&
      (err as NodeJS.ErrnoException).code === 'ECONNRESET';
    if (!stale || (opts.body !== undefined && !Buffer.isBuffer(opts.body))) throw err;
    return once(url, opts);
  }
}

function once(url: URL, opts: SendOptions): Promise<http.IncomingMessage> {
  const tls = url.protocol === 'https:';
  const lib = tls ? https : http;
  const agent = tls ? (opts.insecureTls ? agents.insecure : agents.https) : agents.http;
  const headers = { ...opts.headers };
  if (Buffer.isBuffer(opts.body)) headers['content-length'] = opts.body.length;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: opts.method ?? 'GET', headers, agent, signal: opts.signal });
    req.setTimeout(IDLE_TIMEOUT_MS, () =>
      req.destroy(new RegistryError(500, `${url.host} did not answer within ${IDLE_TIMEOUT_MS / 1000} s`)),
    );
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.on('response', (res) => {
      // The body of a slow blob must time out too, not only the wait for the headers.
      res.socket?.setTimeout(IDLE_TIMEOUT_MS);
      resolve(res);
    });
    const body = opts.body;
    if (body === undefined || Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    }
  });
}

export async function readText(res: http.IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  return (await readBytes(res, limit)).toString('utf8');
}

export async function readBytes(res: http.IncomingMessage, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      throw new RegistryError(500, `a registry response is larger than ${limit} bytes`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
