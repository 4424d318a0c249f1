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

/** What was published, kept in the container's endpoint record to publish the same after a restart. */
export interface PublishedPorts {
  exposed: PortSet;
  ports: PortMap;
}

export class ContainerPorts {
  private readonly resolved = new Map<string, PublishedPorts>();

  constructor(readonly publisher: PortPublisher) {}

  async publish(containerId: string, containerIp: string, req: PortRequest): Promise<PublishedPorts> {
    const exposed: PortSet = { ...req.exposed };
    for (const key of Object.keys(req.bindings)) exposed[key] = {};
    const bindings = req.publishAll ? publishAll(exposed, req.bindings) : req.bindings;
    const wanted = Object.fromEntries(Object.entries(bindings).filter(([, b]) => b?.length));
    const { ports } = Object.keys(wanted).length
      ? await this.publisher.publish(containerId, containerIp, wanted)
      : { ports: {} };
    this.resolved.set(containerId, { exposed, ports });
    return { exposed, ports };
  }

  /**
   * A container that outlived a daemon: what it had published, again (the host ports it had, the
   * rules the new daemon's start flushed).
   */
  async restore(containerId: string, containerIp: string, had: PublishedPorts): Promise<void> {
    const wanted = Object.fromEntries(Object.entries(had.ports).filter(([, b]) => b?.length));
    const { ports } = Object.keys(wanted).length
      ? await this.publisher.publish(containerId, containerIp, wanted)
      : { ports: {} };
    this.resolved.set(containerId, { exposed: had.exposed, ports });
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
