/**
 * A route of the engine's HTTP API and what its handler gets: the Engine API, the path
 * parameters, the query (read with Docker's rules for booleans, numbers and filters) and the
 * request and response for the streams it writes itself.
 */
import type http from 'node:http';
import { InvalidArgumentError } from '../../common/errors';
import type { EngineApi } from '../../engine-api/engine-api';
import { checkBody, type BodyKind } from './body-check';

export interface Ctx {
  api: EngineApi;
  params: Record<string, string>;
  query: URLSearchParams;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Aborts when the client goes away, so a follower or a waiter stops. */
  signal: AbortSignal;
}

/** What a route answers; `undefined` when it has written the response itself (streams). */
export type Reply = { status: number; body?: unknown } | undefined;

export interface Route {
  method: string;
  re: RegExp;
  names: string[];
  handle: (c: Ctx) => Promise<Reply>;
}

export const NO_CONTENT: Reply = { status: 204 };
export const ok = (body: unknown): Reply => ({ status: 200, body });
const MAX_JSON_BODY = 16 * 1024 * 1024;

/** `{id}` is one path segment; `{name*}` may hold slashes, as image names do. */
export function route(method: string, pattern: string, handle: Route['handle']): Route {
  const names: string[] = [];
  const source = pattern.replace(/\{(\w+)(\*?)\}/g, (_m, name: string, many: string) => {
    names.push(name);
    return many ? '(.+)' : '([^/]+)';
  });
  return { method, re: new RegExp(`^${source}$`), names, handle };
}

/** A request body as parsed JSON (`{}` when empty), refused in one line when too large or malformed. */
export async function readJsonBody(req: http.IncomingMessage, max = MAX_JSON_BODY): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new InvalidArgumentError('request body too large');
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString('utf8').trim();
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch (err) {
    throw new InvalidArgumentError(`invalid JSON body: ${(err as Error).message}`);
  }
}

export async function readJson<T>(req: http.IncomingMessage, kind: BodyKind): Promise<T> {
  return checkBody<T>(kind, await readJsonBody(req));
}

/** Docker's boolean query values: empty, 0, no, false and none are false. */
export function bool(q: URLSearchParams, key: string): boolean {
  const v = (q.get(key) ?? '').trim().toLowerCase();
  return !['', '0', 'no', 'false', 'none'].includes(v);
}

export function num(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`invalid value for ${key}: ${JSON.stringify(v)}`);
  return n;
}

/** `?h=&w=`: rows and columns, as docker's resize takes them. */
export function terminalSize(q: URLSearchParams): [height: number, width: number] {
  const [h, w] = [num(q, 'h') ?? 0, num(q, 'w') ?? 0];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 0 || w < 0)
    throw new InvalidArgumentError(`invalid terminal size: ${q.get('h')}x${q.get('w')}`);
  return [h, w];
}

export function stopOptions(q: URLSearchParams): { timeout?: number; signal?: string } {
  const timeout = num(q, 't');
  if (timeout !== undefined && !Number.isInteger(timeout))
    throw new InvalidArgumentError(`invalid value for t: ${JSON.stringify(q.get('t'))}`);
  return { timeout, signal: q.get('signal') || undefined };
}

/** Docker's filters: `{"label":["a=b"]}`, or the older `{"label":{"a=b":true}}`. */
export function filters(raw: string | null): Record<string, string[]> | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidArgumentError(`invalid filters: ${raw}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidArgumentError(`invalid filters: ${raw}`);
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value;
    else if (value && typeof value === 'object')
      out[key] = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] === true);
    else throw new InvalidArgumentError(`invalid filters: ${raw}`);
  }
  return out;
}
