/**
 * What the pull, push and auth routes need beyond the generic server: Docker's JSON-lines
 * progress answer (an error before the first message still gets its HTTP status; one after it
 * travels as a last `{"errorDetail":…,"error":…}` line, as dockerd's), and Docker's way of
 * splitting a reference between path and query.
 */
import type http from 'node:http';
import { EngineError, type ProgressHandler, type ProgressMessage } from './engine-api';

export async function sendProgress(
  res: http.ServerResponse,
  run: (emit: ProgressHandler) => Promise<void>,
): Promise<undefined> {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'Content-Type': 'application/json' });
  };
  const emit: ProgressHandler = (m) => {
    start();
    if (!res.destroyed) res.write(`${JSON.stringify(m)}\r\n`);
  };
  try {
    await run(emit);
  } catch (err) {
    if (!started) throw err;
    const message = err instanceof Error ? err.message : String(err);
    emit({ errorDetail: { message }, error: message });
  }
  start();
  res.end();
  return undefined;
}

/** `fromImage=busybox&tag=1.36` or `tag=sha256:…`: one reference. */
export function joinReference(name: string, tag: string | null): string {
  if (!tag) return name;
  return /^[a-z0-9]+:[a-f0-9]{32,}$/i.test(tag) ? `${name}@${tag}` : `${name}:${tag}`;
}

export function registryAuthHeader(req: http.IncomingMessage): string | undefined {
  const h = req.headers['x-registry-auth'];
  return (Array.isArray(h) ? h[0] : h) || undefined;
}

/**
 * The client's side: each line handed to `onProgress` as it arrives; an error line rejects
 * with its message (what docker prints for a pull that failed midway).
 */
export async function readProgress(res: http.IncomingMessage, onProgress?: ProgressHandler): Promise<void> {
  let rest = '';
  let failure: string | undefined;
  const take = (line: string) => {
    if (!line.trim()) return;
    const m = JSON.parse(line) as ProgressMessage;
    if (m.error || m.errorDetail) failure ??= m.errorDetail?.message ?? m.error;
    else onProgress?.(m);
  };
  res.setEncoding('utf8');
  for await (const chunk of res as AsyncIterable<string>) {
    const lines = (rest + chunk).split(/\r?\n/);
    rest = lines.pop() ?? '';
    lines.forEach(take);
  }
  take(rest);
  if (failure !== undefined) throw new EngineError(500, failure, { code: 'PROGRESS_ERROR' });
}

/** The inverse of joinReference: `host:5000/a/b:tag` → `host:5000/a/b` and `tag` (or the digest). */
export function splitReference(ref: string): { name: string; tag?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { name: ref };
}
