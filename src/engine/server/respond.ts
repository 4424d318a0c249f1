/**
 * How the server writes answers: JSON, plain text, and the streams (multiplexed frames, JSON
 * lines, a tar) whose status waits a moment for the first item, so an early error still gets it.
 */
import { once } from 'node:events';
import type http from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OutputChunk } from '../../engine-api/output';
import { encodeFrame, MULTIPLEXED_CONTENT_TYPE } from '../../common/frames';
import { clientMessage } from './error-text';
import type { Ctx, Reply } from './route';

/** How long a stream may wait for its first chunk before the headers go out: until then an error still gets its status. */
export const HEADER_GRACE_MS = 50;

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

export async function text(res: http.ServerResponse, body: string): Promise<Reply> {
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
export function sendFrames(c: Ctx, chunks: AsyncIterable<OutputChunk>): Promise<Reply> {
  return sendStream(
    c,
    chunks,
    MULTIPLEXED_CONTENT_TYPE,
    (v) => encodeFrame(v.stream, v.data),
    (err) => encodeFrame('systemerr', clientMessage(err)),
  );
}

/** One JSON object a line (stats, events); an error after the headers can only end the stream. */
export function sendJsonLines(c: Ctx, items: AsyncIterable<unknown>): Promise<Reply> {
  return sendStream(c, items, 'application/json', (v) => `${JSON.stringify(v)}\n`);
}

/** A streamed answer: the first item decides the status if it comes (or fails) within the grace. */
export async function sendStream<T>(
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
export async function sendTar(c: Ctx, tar: Readable): Promise<Reply> {
  c.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(tar, c.res);
  return undefined;
}

/** The value when `p` settles within `ms`, else undefined; a rejection within `ms` is thrown. */
export async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function drain(
  it: AsyncIterator<unknown>,
  first: Promise<IteratorResult<unknown>>,
): Promise<void> {
  try {
    for (let r = await first; !r.done; r = await it.next());
  } catch {
    // Nobody is listening to a detached exec: its failure shows in its inspect.
  }
}
