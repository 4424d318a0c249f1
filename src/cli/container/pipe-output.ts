/** A container's output on ours: its stdout on stdout, its stderr on stderr, at the pace they drain. */
import { once } from 'node:events';
import type { OutputChunk } from '../../engine-api/output';

export async function pipeChunks(
  chunks: AsyncIterable<OutputChunk>,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  for await (const chunk of chunks) {
    const stream = chunk.stream === 'stderr' ? err : out;
    if (!stream.write(chunk.data)) await once(stream, 'drain');
  }
}
