/**
 * The output of a foreground `run` whose log driver keeps nothing (`none`): there is no log to
 * follow, so it comes from an attach made before the start, as docker's CLI always takes it.
 */
import type { Readable } from 'node:stream';
import type { EngineApi } from '../../engine-api/engine-api';
import type { OutputChunk } from '../../engine-api/output';
import { FrameDecoder } from '../../common/frames';

/** undefined when the container's log can be followed (every driver but none). */
export async function unloggedOutput(
  engine: EngineApi,
  id: string,
): Promise<AsyncIterable<OutputChunk> | undefined> {
  const { HostConfig } = await engine.inspectContainer(id);
  if (HostConfig.LogConfig?.Type !== 'none') return undefined;
  const { stream } = await engine.attachContainer(id, { stream: true, stdout: true, stderr: true });
  return frames(stream);
}

async function* frames(stream: Readable): AsyncGenerator<OutputChunk> {
  const decoder = new FrameDecoder();
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (const f of decoder.push(chunk))
      if (f.stream === 'stdout' || f.stream === 'stderr') yield f as OutputChunk;
  }
}
