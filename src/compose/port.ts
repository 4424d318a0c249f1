/**
 * `port` (docker compose's `pkg/compose/port.go`): the public address of a service container's
 * private port, from the engine's list entry; a port not published is docker compose's error,
 * naming the ports that are.
 */
import { TscomposeError } from '../common/errors';
import type { EngineApi } from '../engine-api/engine-api';
import { containerName } from './project-containers';
import { serviceContainer } from './service-container';

export async function publicPort(
  engine: EngineApi,
  project: string,
  service: string,
  port: number,
  opts: { protocol: string; index?: number },
): Promise<{ ip: string; port: number }> {
  const c = await serviceContainer(engine, project, service, opts.index);
  const found = c.Ports.find((p) => p.PrivatePort === port && p.Type === opts.protocol);
  if (found) return { ip: found.IP ?? '', port: found.PublicPort ?? 0 };
  const published = c.Ports.map((p) => `${p.PublicPort ?? 0}/${p.Type}`).join(', ');
  throw new TscomposeError(
    `no port ${port}/${opts.protocol} for container ${containerName(c)}: ${published}`,
    { code: 'NO_SUCH_PORT' },
  );
}
