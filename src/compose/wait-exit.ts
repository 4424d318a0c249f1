/**
 * The `wait` verb (docker compose's `pkg/compose/wait.go`; `up --wait` is wait.ts): every running
 * container of the services, one-offs too, waited for until it exits, each exit said as docker
 * compose says it. The status code is the one docker compose returns: that of the container
 * that exited last.
 */
import { TscomposeError } from '../common/errors';
import type { EngineApi } from '../engine-api/engine-api';
import { projectContainers } from './project-containers';

export async function waitForExit(
  engine: EngineApi,
  name: string,
  services: string[],
  print: (line: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const containers = await projectContainers(engine, name, { services, oneoff: true });
  if (containers.length === 0)
    throw new TscomposeError(`no containers for project "${name}"`, { code: 'NO_CONTAINER' });
  let status = 0;
  await Promise.all(
    containers.map(async (c) => {
      const { StatusCode } = await engine.waitContainer(c.Id, 'not-running', signal);
      print(`container ${JSON.stringify(c.Id)} exited with status code ${StatusCode}\n`);
      status = StatusCode;
    }),
  );
  return status;
}
