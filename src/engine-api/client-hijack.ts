/**
 * Docker's hijacked connections on the client side: the request asks for `Upgrade: tcp`, and
 * once the engine answers `101` the socket itself is the attachment (stdin written to it,
 * output read from it). A refusal comes back as an ordinary response, read as an error.
 */
import http from 'node:http';
import type { Attachment } from './attachment';
import { RAW_CONTENT_TYPE } from '../common/frames';

export interface HijackRequest {
  socketPath: string;
  /** Path and query string, version prefix included. */
  path: string;
  body?: unknown;
}

export function hijack(
  req: HijackRequest,
  toError: (status: number, text: string) => Error,
): Promise<Attachment> {
  const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  return new Promise((resolve, reject) => {
    const r = http.request({
      socketPath: req.socketPath,
      // An upgraded socket leaves any pool; a fresh one keeps the kept-alive ones out of it.
      agent: false,
      method: 'POST',
      path: req.path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'tcp',
        ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
      },
    });
    r.on('upgrade', (res, socket, head) => {
      // Still flowing, and nobody listens yet: output would be lost until the caller reads.
      socket.pause();
      if (head.length) socket.unshift(head);
      resolve({ tty: res.headers['content-type'] === RAW_CONTENT_TYPE, stream: socket });
    });
    r.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const status = res.statusCode ?? 500;
        const text = Buffer.concat(parts).toString('utf8');
        reject(
          toError(
            status < 400 ? 500 : status,
            text || `the engine did not upgrade the connection (${status})`,
          ),
        );
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(payload);
  });
}
