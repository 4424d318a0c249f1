/**
 * `pull` (docker compose's `pkg/compose/pull.go`): each service's image pulled as its pull policy
 * says, an explicit pull being a refresh: a service with no `pull_policy` is always pulled, and
 * `missing` skips only an image present under a tag other than `latest` (a `latest` is expected
 * to move). A service with `build:` and no `image:` has nothing to pull; one whose image can be
 * built only warns when its pull fails, though the command still fails at the end unless
 * failures are ignored. Each image is pulled once, whatever the services sharing it.
 */
import { NotFoundError, TscomposeError } from '../common/errors';
import { parseReference } from '../common/image-reference';
import type { ServiceConfig } from '../compose-model/project-types';
import type { EngineApi } from '../engine-api/engine-api';
import { eachLimited } from './each-limited';
import { DEFAULT_PARALLEL_LIMIT } from './apply-context';
import { progressEvent, resourceId, type ProgressSink } from './progress';

export interface PullOptions {
  /** --policy over each service's `pull_policy` (services with an image only). */
  policy?: string;
  ignoreFailures?: boolean;
  ignoreBuildable?: boolean;
}

export interface RegistryIo {
  progress: ProgressSink;
  /** One line that does not fail the verb. */
  warn(message: string): void;
  /** The `X-Registry-Auth` value for `image`; undefined: anonymous. */
  registryAuth?(image: string): string | undefined;
  signal?: AbortSignal;
  parallelLimit?: number;
  /** --dry-run: every event said, no image fetched or sent. */
  dryRun?: boolean;
}

/** The refresh windows (`daily`, `weekly`, `every_12h`): an explicit pull is due now. */
const REFRESH = /^(daily|weekly|every_.+|refresh)$/;

/** Why an image is not pulled, as the Skipped event says it; undefined: pull it. */
export function skipReason(service: ServiceConfig, present: boolean, policy?: string): string | undefined {
  const p = (service.image !== undefined && policy) || service.pullPolicy;
  if (p === undefined || p === 'always' || REFRESH.test(p)) return undefined;
  if (p === 'never' || p === 'build') return '';
  // missing, if_not_present
  if (!present) return undefined;
  const tag = tagOf(service.image ?? '');
  return tag === undefined || tag === 'latest' ? undefined : 'Image is already present locally';
}

function tagOf(image: string): string | undefined {
  try {
    return parseReference(image).tag;
  } catch {
    return undefined;
  }
}

export async function pull(
  engine: EngineApi,
  services: readonly ServiceConfig[],
  opts: PullOptions,
  io: RegistryIo,
): Promise<void> {
  const scheduled = new Map<string, ServiceConfig>();
  for (const s of [...services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (s.image === undefined) {
      io.progress.emit(progressEvent(s.name, 'Skipped', 'No image to be pulled'));
      continue;
    }
    const id = resourceId('Image', s.image);
    const why = skipReason(s, await present(engine, s.image), opts.policy);
    if (why !== undefined) io.progress.emit(progressEvent(id, 'Skipped', why));
    else if (s.build && opts.ignoreBuildable)
      io.progress.emit(progressEvent(id, 'Skipped', 'Image can be built'));
    else if (!scheduled.has(s.image)) scheduled.set(s.image, s);
  }

  const failures: Error[] = [];
  const mustBuild: string[] = [];
  await eachLimited([...scheduled.values()], io.parallelLimit ?? DEFAULT_PARALLEL_LIMIT, async (s) => {
    const image = s.image as string;
    const id = resourceId('Image', image);
    io.progress.emit(progressEvent(id, 'Pulling'));
    try {
      if (!io.dryRun) await engine.pullImage(image, { auth: io.registryAuth?.(image), signal: io.signal });
      io.progress.emit(progressEvent(id, 'Pulled'));
    } catch (err) {
      const message = (err as Error).message;
      // An image that can be built only warns, but the pull still fails in the end, as docker compose's.
      io.progress.emit(progressEvent(id, s.build ? 'Warning' : 'Error', message));
      if (s.build) mustBuild.push(s.name);
      failures.push(err as Error);
    }
  });
  if (mustBuild.length > 0)
    io.warn(`Some service image(s) must be built from source: ${mustBuild.sort().join(' ')}`);
  if (failures.length > 0 && !opts.ignoreFailures) throw joinedFailure(failures, 'PULL_FAILED');
}

/** One error for every failed pull or push (errors.Join), exiting as the first one does. */
export function joinedFailure(failures: Error[], code: string): TscomposeError {
  const exitCode = failures[0] instanceof TscomposeError ? failures[0].exitCode : 1;
  return new TscomposeError(failures.map((f) => f.message).join('\n'), {
    code,
    exitCode,
    cause: failures[0],
  });
}

async function present(engine: EngineApi, image: string): Promise<boolean> {
  try {
    await engine.inspectImage(image);
    return true;
  } catch (err) {
    if (err instanceof NotFoundError || /No such image/i.test((err as Error).message)) return false;
    throw err;
  }
}
