/** A process's stdout and stderr sockets as one ordered stream of OutputChunks. */
import type net from 'node:net';
import type { OutputChunk } from '../api/engine-api';

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
    sock.once('close', () => {
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
