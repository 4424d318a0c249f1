/**
 * The Engine API: one role interface per resource, composed. The daemon implements it in-process
 * (the engine composes an adapter per resource) and the HTTP client over the unix socket, so
 * commands and tests code against it and never care which side of the socket they are on. A
 * caller that needs one resource asks for its role (`ImageApi`), not the whole engine.
 */
import type { ContainerApi } from './container/api';
import type { ArchiveApi } from './container/archive-api';
import type { EventsApi } from './events/api';
import type { ExecApi } from './exec/api';
import type { ImageApi } from './image/api';
import type { NetworkApi } from './network/api';
import type { RegistryApi } from './registry/api';
import type { SystemApi } from './system/api';
import type { VolumeApi } from './volume/api';

export interface EngineApi
  extends
    SystemApi,
    ContainerApi,
    ExecApi,
    ImageApi,
    NetworkApi,
    RegistryApi,
    VolumeApi,
    EventsApi,
    ArchiveApi {}
