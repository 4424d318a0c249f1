/**
 * The containers of the Engine API: lifecycle, listing and inspect, logs, wait, top, the cgroup
 * freezer, stats samples and attach, as docker's `ContainerAPIClient` has them. The engine
 * implements it in-process and the HTTP client over the socket.
 */
import type { AttachOptions, Attachment } from '../attachment';
import type { OutputChunk } from '../output';
import type { ContainerStats, StatsOptions } from './stats-types';
import type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTopResponse,
  ContainerUpdateBody,
  ContainerUpdateResponse,
  ContainersPruneResponse,
  ContainerWaitResponse,
  LogsOptions,
} from './types';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ListContainersOptions {
  all?: boolean;
  /** Docker's filters: label (`k` or `k=v`), name, id, status. Every key must match (AND), values of one key OR. */
  filters?: Record<string, string[]>;
  /** SizeRw and SizeRootFs of each (`ps -s`): a walk of every writable layer. */
  size?: boolean;
}

export interface ContainerApi {
  createContainer(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse>;
  startContainer(id: string): Promise<void>;
  /** timeout: seconds before SIGKILL (default: the container's StopTimeout, else 10). */
  stopContainer(id: string, opts?: { timeout?: number; signal?: string }): Promise<void>;
  restartContainer(id: string, opts?: { timeout?: number; signal?: string }): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  listContainers(opts?: ListContainersOptions): Promise<ContainerSummary[]>;
  inspectContainer(id: string, opts?: { size?: boolean }): Promise<ContainerInspect>;
  /** Ends when the log ends (follow: when the container stops), or when `signal` aborts. */
  containerLogs(id: string, opts: LogsOptions, signal?: AbortSignal): AsyncIterable<OutputChunk>;
  waitContainer(id: string, condition?: WaitCondition, signal?: AbortSignal): Promise<ContainerWaitResponse>;
  topContainer(id: string, psArgs?: string): Promise<ContainerTopResponse>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  /** Docker's rename: the new name must be free; it is what DNS and `ps` know it by from now on. */
  renameContainer(id: string, name: string): Promise<void>;
  /** Samples of a container (see StatsOptions); a stream ends once it stops or `signal` aborts. */
  containerStats(id: string, opts?: StatsOptions, signal?: AbortSignal): AsyncIterable<ContainerStats>;
  /** Docker's attach: the container's stdio as one stream; before its start, it waits for it. */
  attachContainer(id: string, opts: AttachOptions): Promise<Attachment>;
  /** The size of a container's terminal (rows, columns); nothing for one without. */
  resizeContainer(id: string, height: number, width: number): Promise<void>;
  /** Docker's update: resources (into the live cgroup too) and the restart policy. */
  updateContainer(id: string, body: ContainerUpdateBody): Promise<ContainerUpdateResponse>;
  /** Removes every container that does not run (filters: until, label, label!). */
  pruneContainers(filters?: Record<string, string[]>): Promise<ContainersPruneResponse>;
}
