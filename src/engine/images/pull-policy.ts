/**
 * Compose's `pull_policy` for one service: a pure decision (pull, skip, build, or an error)
 * from what is known locally, and the one call that carries it out. `daily`, `weekly` and
 * `every_<duration>` compare against when the image was last tagged locally (docker's
 * `Metadata.LastTagTime`); when that is unknown, the image is pulled.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import type { ProgressHandler } from '../../engine-api/registry/api';
import { TscomposeError } from '../../common/errors';

export interface ServiceImage {
  name: string;
  image?: string;
  pull_policy?: string;
  /** Whether the service has a `build` section. */
  build?: unknown;
  platform?: string;
}

export type PullDecision = 'pull' | 'skip' | 'build';

export interface PullFacts {
  present: boolean;
  /** Unix ms of the last pull or tag, when known. */
  lastPulled?: number;
  now: number;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `every_12h`, `every_1h30m`, `every_2d`: the interval in ms; undefined when it is no such policy. */
export function pullInterval(policy: string): number | undefined {
  if (policy === 'daily') return UNIT_MS.d;
  if (policy === 'weekly') return UNIT_MS.w;
  const m = /^every_((?:\d+(?:ms|s|m|h|d|w))+)$/.exec(policy);
  if (!m) return undefined;
  let total = 0;
  for (const [, n, unit] of m[1].matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(n) * UNIT_MS[unit];
  return total > 0 ? total : undefined;
}

export function decidePull(service: ServiceImage, facts: PullFacts): PullDecision {
  const policy = service.pull_policy ?? '';
  const buildable = service.build !== undefined && service.build !== null;
  switch (policy) {
    case 'always':
      return 'pull';
    case 'never':
      if (!facts.present)
        throw new TscomposeError(
          `service "${service.name}": image ${service.image ?? '(none)'} not found and pull_policy is never`,
          {
            code: 'PULL_POLICY',
          },
        );
      return 'skip';
    case 'build':
      return 'build';
    case '':
    case 'missing':
    case 'if_not_present':
      if (facts.present) return 'skip';
      // Unset with a build section: compose builds what it cannot find rather than pulling it.
      return buildable && policy === '' ? 'build' : 'pull';
  }
  const interval = pullInterval(policy);
  if (interval === undefined)
    throw new TscomposeError(`service "${service.name}": invalid pull_policy ${JSON.stringify(policy)}`, {
      code: 'PULL_POLICY',
    });
  if (!facts.present || facts.lastPulled === undefined) return 'pull';
  return facts.now - facts.lastPulled >= interval ? 'pull' : 'skip';
}

export interface PullForServiceOptions {
  /** X-Registry-Auth for a reference (the CLI's credentials). */
  auth?: (ref: string) => string | undefined;
  onProgress?: ProgressHandler;
  now?: number;
}

/** What compose `pull` (and `up`) does for one service; answers what it decided. */
export async function pullForService(
  engine: EngineApi,
  service: ServiceImage,
  opts: PullForServiceOptions = {},
): Promise<PullDecision> {
  const ref = service.image;
  if (!ref) {
    if (service.build === undefined)
      throw new TscomposeError(`service "${service.name}" has neither an image nor a build section`, {
        code: 'PULL_POLICY',
      });
    return 'build';
  }
  const facts = await localFacts(engine, ref, opts.now ?? Date.now());
  const decision = decidePull(service, facts);
  if (decision === 'pull')
    await engine.pullImage(ref, { platform: service.platform, auth: opts.auth?.(ref) }, opts.onProgress);
  return decision;
}

async function localFacts(engine: EngineApi, ref: string, now: number): Promise<PullFacts> {
  let inspect: Record<string, unknown>;
  try {
    inspect = await engine.inspectImage(ref);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return { present: false, now };
    throw err;
  }
  const tagged = Date.parse(
    String((inspect.Metadata as { LastTagTime?: string } | undefined)?.LastTagTime ?? ''),
  );
  // Go's zero time (0001-01-01) means never recorded.
  return { present: true, now, lastPulled: tagged > 0 ? tagged : undefined };
}
