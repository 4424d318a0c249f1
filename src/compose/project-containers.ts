/**
 * A project's containers as the engine lists them, found by docker compose's labels alone, so
 * `ps`, `logs` and `down` work from any directory: sorted by service, then container number.
 */
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerSummary } from '../engine-api/container/types';
import { LABEL } from '../planner/labels';

export interface ProjectContainersOptions {
  /** Stopped ones too. */
  all?: boolean;
  /** Only these services (empty: every one). */
  services?: readonly string[];
  /** One-off (`run`) containers too. */
  oneoff?: boolean;
}

export const containerName = (c: ContainerSummary): string => (c.Names[0] ?? '').replace(/^\//, '');
export const serviceOf = (c: ContainerSummary): string => c.Labels[LABEL.service] ?? '';
export const numberOf = (c: ContainerSummary): number => Number(c.Labels[LABEL.containerNumber] ?? 0);
export const isOneoff = (c: ContainerSummary): boolean => c.Labels[LABEL.oneoff] === 'True';

export async function projectContainers(
  engine: EngineApi,
  project: string,
  opts: ProjectContainersOptions = {},
): Promise<ContainerSummary[]> {
  const list = await engine.listContainers({
    all: opts.all,
    filters: { label: [`${LABEL.project}=${project}`] },
  });
  const services = new Set(opts.services ?? []);
  return list
    .filter((c) => opts.oneoff || !isOneoff(c))
    .filter((c) => services.size === 0 || services.has(serviceOf(c)))
    .sort(
      (a, b) =>
        (serviceOf(a) < serviceOf(b) ? -1 : serviceOf(a) > serviceOf(b) ? 1 : 0) ||
        numberOf(a) - numberOf(b) ||
        (containerName(a) < containerName(b) ? -1 : 1),
    );
}
