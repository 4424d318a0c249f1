/**
 * `push` (docker compose's `pkg/compose/push.go`): the images the project builds, pushed to their
 * registries. As in docker compose, only a service with both `build:` and `image:` has an image of
 * its own to push (its `build.tags` too); the others are skipped, their images being someone
 * else's.
 */
import type { ServiceConfig } from '../compose-model/project-types';
import type { EngineApi } from '../engine-api/engine-api';
import { DEFAULT_PARALLEL_LIMIT } from './apply-context';
import { eachLimited } from './each-limited';
import { progressEvent } from './progress';
import { joinedFailure, type RegistryIo } from './pull';

export interface PushOptions {
  ignoreFailures?: boolean;
}

/** The references a service's push sends: its image and its build's extra tags; none without both build and image. */
export function pushTags(service: ServiceConfig): string[] {
  if (!service.build || service.image === undefined) return [];
  return [...new Set([service.image, ...(service.build.tags ?? [])])];
}

export async function push(
  engine: EngineApi,
  services: readonly ServiceConfig[],
  opts: PushOptions,
  io: RegistryIo,
): Promise<void> {
  const tags: string[] = [];
  for (const s of [...services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const own = pushTags(s);
    if (own.length === 0) io.progress.emit(progressEvent(s.name, 'Skipped'));
    for (const t of own) if (!tags.includes(t)) tags.push(t);
  }
  const failures: Error[] = [];
  await eachLimited(tags, io.parallelLimit ?? DEFAULT_PARALLEL_LIMIT, async (tag) => {
    io.progress.emit(progressEvent(tag, 'Pushing'));
    try {
      if (!io.dryRun) await engine.pushImage(tag, { auth: io.registryAuth?.(tag), signal: io.signal });
      io.progress.emit(progressEvent(tag, 'Pushed'));
    } catch (err) {
      const message = (err as Error).message;
      io.progress.emit(progressEvent(tag, opts.ignoreFailures ? 'Warning' : 'Error', message));
      failures.push(err as Error);
    }
  });
  if (failures.length > 0 && !opts.ignoreFailures) throw joinedFailure(failures, 'PUSH_FAILED');
}
