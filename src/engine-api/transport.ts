/**
 * The HTTP side of the Engine API client: requests to the daemon's unix socket under the version
 * prefix, JSON answers, multiplexed frames and JSON-lines streams, hijacked connections. The
 * daemon's refusals come back as the same error classes the engine threw, worded as docker
 * prints them (`Error response from daemon: ...`), so a command prints them as they are.
 */
import http from 'node:http';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { TscomposeError } from '../common/errors';
import { FrameDecoder } from '../common/frames';
import type { Attachment } from './attachment';
import { hijack } from './client-hijack';
import { errorFromStatus } from './errors';
import type { OutputChunk } from './output';
import { API_VERSION } from './version';

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
export type Query = [string, QueryValue][];

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Streamed as the request body (a tar). */
  upload?: Readable;
  signal?: AbortSignal;
  headers?: http.OutgoingHttpHeaders;
}

export class Transport {
  // One kept-alive connection serves a command's many calls; idle ones do not hold the process.
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(readonly socketPath: string) {}

  /** Drops idle connections. */
  close(): void {
    this.agent.destroy();
  }

  /** A hijacked connection (attach, interactive exec start) at `path` (the version prefix is added). */
  hijack(path: string, body?: unknown): Promise<Attachment> {
    return hijack({ socketPath: this.socketPath, path: `/v${API_VERSION}${path}`, body }, responseError);
  }

  /** A JSON answer, or undefined for an empty one (204). */
  async call<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts);
    // An answer whose body comes later (wait) is cut by an abort: the abort is what the caller sees.
    const text = await readAll(res).catch((err: unknown) => {
      throw opts.signal?.aborted ? opts.signal.reason : err;
    });
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The response body as it arrives; ends with the response, or quietly when `signal` aborts. */
  async *body(method: string, path: string, opts: RequestOptions): AsyncGenerator<Buffer> {
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

  async *frames(method: string, path: string, opts: RequestOptions): AsyncGenerator<OutputChunk> {
    const decoder = new FrameDecoder();
    for await (const chunk of this.body(method, path, opts)) {
      for (const f of decoder.push(chunk)) {
        if (f.stream === 'systemerr') throw errorFromStatus(500, f.data.toString());
        if (f.stream !== 'stdin' && f.data.length) yield { stream: f.stream, data: f.data };
      }
    }
    if (opts.signal?.aborted) return;
    if (!decoder.atBoundary) throw errorFromStatus(500, 'the output stream ended inside a frame');
  }

  /** One JSON object a line (stats, events), each as soon as its line is complete. */
  async *jsonStream<T>(method: string, path: string, opts: RequestOptions): AsyncGenerator<T> {
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for await (const chunk of this.body(method, path, opts)) {
      const lines = (carry + decoder.write(chunk)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) yield JSON.parse(line) as T;
    }
  }

  /** The response once its status says success; otherwise the daemon's error, as a typed error. */
  send(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
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
export function jsonLines(text: string): JsonMessage[] {
  const out: JsonMessage[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const msg = JSON.parse(line) as JsonMessage;
    if (msg.error || msg.errorDetail) throw errorFromStatus(500, msg.errorDetail?.message ?? msg.error ?? '');
    out.push(msg);
  }
  return out;
}

export function responseError(status: number, text: string): TscomposeError {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not Docker's JSON error body: the text is the message.
  }
  return errorFromStatus(status, message);
}

export function sizeQuery(height: number, width: number): Query {
  return [
    ['h', height],
    ['w', width],
  ];
}

export function stopQuery(opts: { timeout?: number; signal?: string }): Query {
  return [
    ['t', opts.timeout],
    ['signal', opts.signal],
  ];
}

export function enc(segment: string): string {
  return encodeURIComponent(segment);
}

export async function readAll(res: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
