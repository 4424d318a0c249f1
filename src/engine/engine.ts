/**
 * The engine in one object: wires the image store, the container manager and the runtime behind
 * the EngineApi that the daemon's HTTP server serves (and that tests may use in-process).
 */
import type { EngineApi } from './api/engine-api';
import { EngineError } from './api/engine-api';
import type { EnginePaths } from './paths';

export interface Engine extends EngineApi {
  /** Stops serving: stops following logs and watching containers (containers keep running). */
  close(): Promise<void>;
}

export interface EngineOptions {
  paths: EnginePaths;
  /** Reported by /version; the CLI restarts an auto-started daemon whose build differs. */
  buildId: string;
  version: string;
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  void opts;
  const notYet = (): never => {
    throw new EngineError(501, 'not implemented yet');
  };
  return new Proxy({} as Engine, {
    get: (_t, prop) => (prop === 'close' ? async () => undefined : prop === 'then' ? undefined : notYet),
  });
}
