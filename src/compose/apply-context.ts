/**
 * What the plan executor is handed: the engine, and every conversion from a project to a request
 * body injected as a function, so the executor stays a runner of plan nodes (ARCHITECTURE.md rule
 * 3) and knows nothing of compose files.
 */
import { InvalidArgumentError } from '../common/errors';
import type { ContainerCreateBody } from '../engine-api/container/types';
import type { EngineApi } from '../engine-api/engine-api';
import type { EndpointSettings, NetworkCreateRequest } from '../engine-api/network/types';
import type { VolumeCreateOptions } from '../engine-api/volume/types';

/** One progress event; the shape the compose progress renderers take. */
export interface ApplyProgressEvent {
  /** The resource, as docker compose names it: `Container demo-web-1`, `Network demo_default`. */
  id: string;
  /** `Creating`, `Created`, `Starting`, `Started`, `Waiting`, `Healthy`, `Error`, … */
  status: string;
  text?: string;
  done: boolean;
  error?: boolean;
}

export interface ApplyProgressSink {
  emit(e: ApplyProgressEvent): void;
}

/** A container's create request: the body, and the networks beyond the body's one, connected right after create. */
export interface ContainerCreation {
  body: ContainerCreateBody;
  connect?: { network: string; endpoint?: EndpointSettings }[];
}

export interface ApplyContext {
  engine: EngineApi;
  /** The create request of one container of a service (`replaces`: the container it recreates). */
  createBody(
    service: string,
    number: number,
    name: string,
    replaces?: string,
  ): ContainerCreation | Promise<ContainerCreation>;
  /** The create request of the project's network `key` (its compose key), made as `name`. */
  networkBody(key: string, name: string): NetworkCreateRequest;
  volumeBody(key: string, name: string): VolumeCreateOptions;
  /** The `X-Registry-Auth` value for pulling `image`, when there are credentials. */
  registryAuth?(image: string): string | undefined;
  progress: ApplyProgressSink;
  /** Ctrl-C: the nodes running finish (waits end at once), nothing new starts. */
  signal?: AbortSignal;
  /** Nodes at once; default: COMPOSE_PARALLEL_LIMIT, else DEFAULT_PARALLEL_LIMIT. */
  parallelLimit?: number;
  /** depends_on waits: give up after timeoutMs (default: never), poll inspect every intervalMs. */
  wait?: { timeoutMs?: number; intervalMs?: number };
}

export interface ApplyResult {
  /** Node ids that ran to the end, in the order they finished. */
  done: string[];
  failed: { id: string; error: Error }[];
  /** Node ids never started: after a failure or an interrupt. */
  skipped: string[];
  /** Failures of `required: false` waits, which do not fail the plan. */
  warnings: string[];
  /** The signal aborted before the plan was through. */
  interrupted: boolean;
}

/** Many more than any machine's useful parallelism, as docker compose's default is unlimited. */
export const DEFAULT_PARALLEL_LIMIT = 64;

/** `COMPOSE_PARALLEL_LIMIT` (docker compose's `--parallel`): a positive integer, or -1 for no limit. */
export function parallelLimitFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.COMPOSE_PARALLEL_LIMIT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_PARALLEL_LIMIT;
  const n = Number(raw);
  if (n === -1) return Infinity;
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`COMPOSE_PARALLEL_LIMIT must be a positive integer or -1, not "${raw}"`);
  return n;
}
