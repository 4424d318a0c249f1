/**
 * A running container's published ports (`HostConfig.PortBindings`, `-P`'s `PublishAllPorts`
 * over its exposed ports): published on its first network's address when it starts, gone when
 * it stops, and inspect's `NetworkSettings.Ports` from what was resolved (random host ports
 * picked).
 */
import { inspectPorts, publishAll, type PortMap, type PortSet } from './ports';
import type { PortPublisher } from './publisher';

export interface PortRequest {
  bindings: PortMap;
  exposed: PortSet;
  publishAll: boolean;
}

export class ContainerPorts {
  private readonly resolved = new Map<string, { exposed: PortSet; ports: PortMap }>();

  constructor(readonly publisher: PortPublisher) {}

  async publish(containerId: string, containerIp: string, req: PortRequest): Promise<void> {
    const exposed: PortSet = { ...req.exposed };
    for (const key of Object.keys(req.bindings)) exposed[key] = {};
    const bindings = req.publishAll ? publishAll(exposed, req.bindings) : req.bindings;
    const wanted = Object.fromEntries(Object.entries(bindings).filter(([, b]) => b?.length));
    const { ports } = Object.keys(wanted).length
      ? await this.publisher.publish(containerId, containerIp, wanted)
      : { ports: {} };
    this.resolved.set(containerId, { exposed, ports });
  }

  async unpublish(containerId: string): Promise<void> {
    if (!this.resolved.delete(containerId)) return;
    await this.publisher.unpublish(containerId);
  }

  /** Inspect's Ports of a running container; `{}` for one with none. */
  inspect(containerId: string): PortMap {
    const r = this.resolved.get(containerId);
    return r ? inspectPorts(r.exposed, r.ports) : {};
  }

  async close(): Promise<void> {
    for (const id of [...this.resolved.keys()]) await this.unpublish(id).catch(() => undefined);
    await this.publisher.close();
  }
}
