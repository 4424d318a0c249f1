/**
 * docker's --sig-proxy (docker compose's `attach`, and its `run`, which forwards every signal):
 * the signals that would end us go to the container instead, so ctrl-c or a `kill` of the CLI
 * stops what runs in it and we end with its exit code. A terminal's ctrl-c needs none of this:
 * in raw mode it reaches the container as a byte.
 */
import type { EngineApi } from '../../engine-api/engine-api';

const PROXIED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/** Until the returned function is called. */
export function proxySignals(engine: EngineApi, id: string): () => void {
  const handlers = PROXIED.map((sig) => {
    const handler = (): void => void engine.killContainer(id, sig).catch(() => undefined);
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  };
}
