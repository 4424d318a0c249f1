/**
 * `logs` and the attached `up`: the output of several containers at once, each chunk handed to
 * a consumer with the container it came from (the CLI prefixes and colours lines). Streams run
 * in parallel; the call ends when every one has ended (with `follow`, when the containers stop)
 * or the signal aborts.
 */
import type { EngineApi } from '../engine-api/engine-api';
import type { LogsOptions } from '../engine-api/container/types';

export interface LogSource {
  /** The container's name (`demo-web-1`). */
  name: string;
  service: string;
  number: number;
}

export interface LogConsumer {
  write(source: LogSource, stream: 'stdout' | 'stderr', data: Buffer): void;
  /** The container's stream ended (it stopped, or the logs were all read). */
  ended?(source: LogSource): void;
}

export async function streamLogs(
  engine: EngineApi,
  sources: readonly LogSource[],
  opts: LogsOptions,
  consumer: LogConsumer,
  signal?: AbortSignal,
): Promise<void> {
  const one = async (source: LogSource): Promise<void> => {
    try {
      for await (const chunk of engine.containerLogs(
        source.name,
        { stdout: true, stderr: true, ...opts },
        signal,
      ))
        consumer.write(source, chunk.stream, chunk.data);
    } catch (err) {
      // A container removed while we read it, or our own abort, ends its stream quietly.
      if (!signal?.aborted && !/No such container/.test((err as Error).message)) throw err;
    } finally {
      consumer.ended?.(source);
    }
  };
  await Promise.all(sources.map(one));
}
