/**
 * The client's side of Docker's JSON-lines progress (pull, push) and of its way of splitting a
 * reference between path and query.
 */
import type http from 'node:http';
import { TscomposeError } from '../../common/errors';
import type { ProgressHandler, ProgressMessage } from './api';

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
  if (failure !== undefined) throw new TscomposeError(failure, { code: 'PROGRESS_ERROR' });
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
