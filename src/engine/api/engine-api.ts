/**
 * The one interface of the engine: the daemon's services implement it in-process, and the HTTP
 * client implements it over the unix socket, so commands and tests code against this and never
 * care which side of the socket they are on. Names follow the Docker Engine API operations.
 */
import type { Readable } from 'node:stream';
import { TscomposeError } from '../../common/errors';
import type { MonitorApi } from './monitor-api';
import type { NetworkApi } from '../../engine-api/network/api';
import type { AttachOptions, Attachment, ExecStartOptions } from './attachment';
import type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTopResponse,
  ContainerWaitResponse,
  ExecCreateBody,
  ExecInspect,
  LogsOptions,
  VersionResponse,
} from './types';

export type { AttachOptions, Attachment, ExecStartOptions } from './attachment';

/** One piece of a container's output: what a multiplexed stream frame carries. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ListContainersOptions {
  all?: boolean;
  /** Docker's filters: label (`k` or `k=v`), name, id, status. Every key must match (AND), values of one key OR. */
  filters?: Record<string, string[]>;
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  Labels: Record<string, string>;
}

/** One line of `image rm` and `image prune`, as Docker's API answers. */
export interface ImageDeleteItem {
  Untagged?: string;
  Deleted?: string;
}

/** POST /images/prune */
export interface ImagePruneResponse {
  ImagesDeleted: ImageDeleteItem[] | null;
  SpaceReclaimed: number;
}

export interface ImportOptions {
  /** `repo[:tag]` to tag the result with. */
  repo?: string;
  tag?: string;
  /** Dockerfile instructions: `CMD ["sh"]`, `ENV A=b`, ... */
  changes?: string[];
}

/** One JSON-lines progress message of a pull or push, as Docker's (`jsonmessage`). */
export interface ProgressMessage {
  status?: string;
  /** A layer's short id (12 hex), or the tag in `Pulling from`. */
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** Push's last message: `{Tag, Digest, Size}`. */
  aux?: Record<string, unknown>;
  error?: string;
  errorDetail?: { message: string };
}

export type ProgressHandler = (message: ProgressMessage) => void;

/** Docker's AuthConfig: what `X-Registry-Auth` (base64url JSON) and `POST /auth` carry. */
export interface RegistryAuthConfig {
  username?: string;
  password?: string;
  /** base64 of `user:password`, as config.json stores it. */
  auth?: string;
  serveraddress?: string;
  /** An OAuth2 refresh token from a token server (docker login's `IdentityToken`). */
  identitytoken?: string;
  /** A bearer token sent as it is. */
  registrytoken?: string;
}

export interface PullImageOptions {
  /** `os/arch[/variant]`. */
  platform?: string;
  /** The `X-Registry-Auth` header value. */
  auth?: string;
  signal?: AbortSignal;
}

export interface PushImageOptions {
  auth?: string;
  signal?: AbortSignal;
}

export interface EngineApi extends MonitorApi, NetworkApi {
  version(): Promise<VersionResponse>;

  createContainer(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse>;
  startContainer(id: string): Promise<void>;
  /** timeout: seconds before SIGKILL (default: the container's StopTimeout, else 10). */
  stopContainer(id: string, opts?: { timeout?: number; signal?: string }): Promise<void>;
  restartContainer(id: string, opts?: { timeout?: number; signal?: string }): Promise<void>;
  killContainer(id: string, signal?: string): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  listContainers(opts?: ListContainersOptions): Promise<ContainerSummary[]>;
  inspectContainer(id: string): Promise<ContainerInspect>;
  /** Ends when the log ends (follow: when the container stops), or when `signal` aborts. */
  containerLogs(id: string, opts: LogsOptions, signal?: AbortSignal): AsyncIterable<OutputChunk>;
  waitContainer(id: string, condition?: WaitCondition, signal?: AbortSignal): Promise<ContainerWaitResponse>;
  topContainer(id: string, psArgs?: string): Promise<ContainerTopResponse>;

  createExec(id: string, body: ExecCreateBody): Promise<{ Id: string }>;
  /** The exec's output until it exits; then inspectExec has its exit code. */
  startExec(execId: string, signal?: AbortSignal): AsyncIterable<OutputChunk>;
  inspectExec(execId: string): Promise<ExecInspect>;
  /** Docker's attach: the container's stdio as one stream; before its start, it waits for it. */
  attachContainer(id: string, opts: AttachOptions): Promise<Attachment>;
  /** Starts the exec with its stdio as one stream (a hijacked start; with a terminal when created with Tty). */
  startExecAttached(execId: string, opts?: ExecStartOptions): Promise<Attachment>;
  /** The size of a container's or an exec's terminal (rows, columns); nothing for one without. */
  resizeContainer(id: string, height: number, width: number): Promise<void>;
  resizeExec(execId: string, height: number, width: number): Promise<void>;

  importImage(tar: Readable, opts?: ImportOptions): Promise<{ Id: string }>;
  listImages(): Promise<ImageSummary[]>;
  /** The stored config and manifest of an image (`docker image inspect` shape). */
  inspectImage(ref: string): Promise<Record<string, unknown>>;
  removeImage(ref: string, opts?: { force?: boolean }): Promise<ImageDeleteItem[]>;
  /** `docker tag`: repo (and tag, default latest) names the image `source` names. */
  tagImage(source: string, repo: string, tag?: string): Promise<void>;
  /** Dangling images nothing uses; `all`: every image no container uses. */
  pruneImages(opts?: { all?: boolean }): Promise<ImagePruneResponse>;
  /** `docker save`: one tar (a docker archive inside an OCI image layout); fails early for an unknown image. */
  saveImages(refs: string[]): Readable;
  /** `docker load` of a docker archive or OCI layout tar: docker's lines (`Loaded image: busybox:latest`). */
  loadImages(tar: Readable): Promise<string[]>;
  /** `docker pull`: Docker's progress messages as it goes; resolves once the image is stored. */
  pullImage(ref: string, opts?: PullImageOptions, onProgress?: ProgressHandler): Promise<void>;
  /** `docker push` of one tag (latest when none is given). */
  pushImage(ref: string, opts?: PushImageOptions, onProgress?: ProgressHandler): Promise<void>;
  /** `POST /auth` (docker login): checks the credentials against their registry. */
  checkAuth(auth: RegistryAuthConfig): Promise<{ Status: string; IdentityToken?: string }>;
}

/** An engine error with the HTTP status the API answers with (Docker's: 400, 404, 409, 500). */
export class EngineError extends TscomposeError {
  readonly status: number;

  constructor(
    status: number,
    message: string,
    opts: { code?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, { code: opts.code ?? `HTTP_${status}`, exitCode: opts.exitCode ?? 1, cause: opts.cause });
    this.status = status;
  }
}

export class NotFoundError extends EngineError {
  constructor(message: string) {
    super(404, message, { code: 'NOT_FOUND' });
  }
}

export class ConflictError extends EngineError {
  constructor(message: string) {
    super(409, message, { code: 'CONFLICT' });
  }
}

export class BadRequestError extends EngineError {
  constructor(message: string) {
    super(400, message, { code: 'BAD_REQUEST' });
  }
}
