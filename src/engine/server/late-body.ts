/**
 * An answer whose status and headers go out at once and whose JSON body follows when the work
 * ends, as dockerd's `POST /containers/{id}/wait`: the docker CLI asks for `next-exit` before it
 * starts a container and waits for the response headers before it goes on, so headers held back
 * until the exit hang `docker run` for ever. An error the call throws at once (no such
 * container, a bad condition) still gets its status; a later one travels in the body.
 */
import { clientMessage } from './error-text';
import { settledWithin } from './respond';
import type { Ctx, Reply } from './route';

export async function headersNowBodyLater<T extends object>(
  c: Ctx,
  work: Promise<T>,
  failed: (message: string) => T,
): Promise<Reply> {
  // A refusal is a rejected promise by the next turn; a wait that goes on is not settled by then.
  const early = await settledWithin(work, 0);
  if (early) return { status: 200, body: early };
  c.res.writeHead(200, { 'Content-Type': 'application/json' });
  c.res.flushHeaders();
  let body: T;
  try {
    body = await work;
  } catch (err) {
    if (c.signal.aborted) {
      c.res.destroy();
      return undefined;
    }
    body = failed(clientMessage(err));
  }
  c.res.end(`${JSON.stringify(body)}\n`);
  return undefined;
}
