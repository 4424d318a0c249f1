/**
 * What the container manager asks of the networks over a container's life: its network mode
 * checked and its endpoints made at create, the spec's network at each start, endpoints gone at
 * removal, and NetworkSettings for inspect. NetworkManager implements it.
 */
import type { HostConfig } from '../../engine-api/container/types';
import type { NetworkingConfig, NetworkSettings } from '../../engine-api/network/types';
import type { NetworkSpec } from '../runtime/spec';

/** What the etc files of a starting container are made from. */
export interface StartingContainer {
  hostConfig: HostConfig;
  hostname: string;
  domainname?: string;
}

export interface StartNetwork {
  network: NetworkSpec;
  /**
   * /etc/hosts and /etc/resolv.conf for its networks of now (its addresses and aliases, the
   * embedded DNS server on a user-defined network); absent: those made at create stay.
   */
  etcFiles?: { hosts: string; resolvConf: string };
}

export interface ContainerNetworking {
  /** `''`/`default` become the engine's default network (`"default-network"` in engine.json). */
  resolveMode(mode: string | undefined): string;
  /** Checks the mode and endpoint configs and records the endpoints (addresses reserved); throws docker's errors. */
  containerCreated(id: string, name: string, mode: string, config?: NetworkingConfig): Promise<void>;
  /** The spec's network for a start now; throws when a network or the joined container is gone. */
  forStart(id: string, mode: string, container: StartingContainer): Promise<StartNetwork>;
  containerStarted(id: string): Promise<void>;
  containerStopped(id: string): Promise<void>;
  /** Its endpoints go from every network, their addresses free again. */
  containerRemoved(id: string): Promise<void>;
  /** Its endpoints answer to the new name from now on. */
  containerRenamed?(id: string, name: string): Promise<void>;
  settings(id: string, mode: string, running: boolean): NetworkSettings;
}
