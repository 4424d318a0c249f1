/**
 * The Engine API over the daemon's unix socket: one client part per resource on one transport
 * (one kept-alive connection pool), composed the way the engine composes its adapters.
 */
import type { EngineApi } from './engine-api';
import { containerClient } from './container/client';
import { archiveClient } from './container/archive-client';
import { eventsClient } from './events/client';
import { execClient } from './exec/client';
import { imageClient } from './image/client';
import { networkClient } from './network/client';
import { registryClient } from './registry/client';
import { systemClient } from './system/client';
import { Transport } from './transport';
import { volumeClient } from './volume/client';

export { EngineUnreachableError } from './transport';

export interface EngineClient extends EngineApi {
  readonly socketPath: string;
  /** Drops idle connections. */
  close(): void;
}

export function engineClient(socketPath: string): EngineClient {
  const t = new Transport(socketPath);
  return {
    socketPath,
    close: () => t.close(),
    ...systemClient(t),
    ...containerClient(t),
    ...execClient(t),
    ...imageClient(t),
    ...networkClient(t),
    ...registryClient(t),
    ...volumeClient(t),
    ...eventsClient(t),
    ...archiveClient(t),
  };
}
