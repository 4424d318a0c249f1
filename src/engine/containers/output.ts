/** A process's stdout and stderr sockets as one ordered stream of OutputChunks. */
import type net from 'node:net';
import type { OutputChunk } from '../../engine-api/output';

/**
 * Resolves once the socket has closed, also when that happened before anyone asked: a command
 * that ends at once (`exec … true`) closes its pipes while its start is still being answered.
 */
export function whenClosed(sock: net.Socket): Promise<void> {
  if (sock.closed || sock.destroyed) return Promise.resolve();
  return new Promise((resolve) => sock.once('close', () => resolve()));
}

export async function* mergeOutput(
  stdout: net.Socket,
  stderr: net.Socket,
  signal?: AbortSignal,
): AsyncGenerator<OutputChunk> {
  const queue: OutputChunk[] = [];
  let open = 2;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  for (const [sock, stream] of [
    [stdout, 'stdout'],
    [stderr, 'stderr'],
  ] as const) {
    sock.on('data', (data: Buffer) => {
      queue.push({ stream, data });
      poke();
    });
    void whenClosed(sock).then(() => {
      open--;
      poke();
    });
  }
  const onAbort = (): void => poke();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      while (queue.length) yield queue.shift() as OutputChunk;
      if (open === 0 || signal?.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
