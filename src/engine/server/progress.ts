/**
 * What the pull, push and auth routes need beyond the generic server: Docker's JSON-lines
 * progress answer (an error before the first message still gets its HTTP status; one after it
 * travels as a last `{"errorDetail":…,"error":…}` line, as dockerd's), the reference split
 * between path and query, and the registry credentials header.
 */
import type http from 'node:http';
import type { ProgressHandler } from '../../engine-api/registry/api';

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
