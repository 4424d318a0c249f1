/**
 * The plan executor's context for one project: each create node's body made by the
 * conversions (convert*.ts), with the image id the container is made from, and a recreated
 * container's anonymous volumes carried over from the one it replaces (unless `up -V`), as
 * docker compose's recreate does, so data in an unnamed volume survives a config change.
 */
import type { Project } from '../compose-model/types';
import type { MountPoint } from '../engine-api/container/types';
import type { EngineApi } from '../engine-api/engine-api';
import type { ApplyContext, ApplyProgressSink } from './apply-context';
import { containerCreateBody, imageOf } from './convert';
import { networkCreateBody, volumeCreateBody } from './convert-resources';

export interface ProjectContextOptions {
  /** `up -V`: a recreated container gets new anonymous volumes. */
  renewAnonVolumes?: boolean;
  signal?: AbortSignal;
  /** depends_on waits give up after this long (`--wait-timeout`). */
  waitTimeoutMs?: number;
  parallelLimit?: number;
  /** What a conversion dropped (a tuning key the engine lacks). */
  warn?(message: string): void;
  /** Credentials for the pulls a plan makes. */
  registryAuth?(image: string): string | undefined;
}

export function projectApplyContext(
  engine: EngineApi,
  project: Project,
  progress: ApplyProgressSink,
  opts: ProjectContextOptions = {},
): ApplyContext {
  return {
    engine,
    progress,
    signal: opts.signal,
    parallelLimit: opts.parallelLimit,
    registryAuth: opts.registryAuth,
    wait: opts.waitTimeoutMs ? { timeoutMs: opts.waitTimeoutMs } : undefined,
    networkBody: (key) => networkCreateBody(project, key),
    volumeBody: (key) => volumeCreateBody(project, key),
    createBody: async (service, number, name, replaces) => {
      const s = project.services[service] ?? project.disabled[service];
      const image = await engine.inspectImage(imageOf(project, s)).catch(() => undefined);
      const { body, warnings } = containerCreateBody(project, s, number, {
        name,
        replaces,
        imageId: typeof image?.Id === 'string' ? image.Id : undefined,
      });
      for (const w of warnings) opts.warn?.(w);
      if (replaces && !opts.renewAnonVolumes && body.HostConfig?.Mounts)
        body.HostConfig.Mounts = await inheritAnonymous(engine, replaces, body.HostConfig.Mounts);
      return { body };
    },
  };
}

/** An anonymous volume mount takes the old container's volume at the same target. */
async function inheritAnonymous(engine: EngineApi, old: string, mounts: MountPoint[]): Promise<MountPoint[]> {
  if (!mounts.some((m) => m.Type === 'volume' && !m.Source)) return mounts;
  const previous = await engine.inspectContainer(old).catch(() => undefined);
  const byTarget = new Map(
    (previous?.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => [m.Destination, m.Name]),
  );
  return mounts.map((m) =>
    m.Type === 'volume' && !m.Source && byTarget.has(m.Target) ? { ...m, Source: byTarget.get(m.Target) } : m,
  );
}
