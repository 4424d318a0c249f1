/**
 * `ls` (docker compose's `pkg/compose/ls.go`): the projects the engine's containers name in their
 * labels, each with its containers' states counted (`exited(1), running(2)`) and the compose
 * files its containers were made from. Without `all`, only projects with a running container.
 */
import type { ContainerSummary } from '../engine-api/container/types';
import type { EngineApi } from '../engine-api/engine-api';
import { LABEL } from './labels';

/** docker compose's api.Stack, as `ls --format json` prints it. */
export interface Stack {
  Name: string;
  Status: string;
  ConfigFiles: string;
}

export async function listProjects(engine: EngineApi, opts: { all?: boolean } = {}): Promise<Stack[]> {
  const containers = await engine.listContainers({
    all: opts.all,
    filters: { label: [LABEL.project, LABEL.configHash] },
  });
  return containersToStacks(containers);
}

/** The projects of `containers`, sorted by name. */
export function containersToStacks(containers: readonly ContainerSummary[]): Stack[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    const name = c.Labels[LABEL.project];
    if (name === undefined) continue;
    byProject.set(name, [...(byProject.get(name) ?? []), c]);
  }
  return [...byProject.keys()].sort().map((name) => {
    const members = byProject.get(name) ?? [];
    return {
      Name: name,
      Status: combinedStatus(members.map((c) => c.State)),
      ConfigFiles: combinedConfigFiles(members),
    };
  });
}

/** `exited(1), running(2)`: each state with its count, states sorted. */
export function combinedStatus(states: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((s) => `${s}(${counts.get(s)})`)
    .join(', ');
}

/** The files of every container, each once in the order met; `N/A` when a container lacks the label, as docker compose. */
function combinedConfigFiles(containers: readonly ContainerSummary[]): string {
  const files: string[] = [];
  for (const c of containers) {
    const label = c.Labels[LABEL.configFiles];
    if (label === undefined) return 'N/A';
    for (const f of label.split(',')) if (!files.includes(f)) files.push(f);
  }
  return files.join(',');
}
