/** The container half of the Engine API over the container manager and the attacher. */
import type { ContainerApi } from '../../engine-api/container/api';
import type { ContainerAttacher } from './attach';
import type { ContainerManager } from './manager';

export function containerApi(containers: ContainerManager, attacher: ContainerAttacher): ContainerApi {
  return {
    createContainer: (body, name) => containers.create(body, name),
    startContainer: (id) => containers.start(id),
    stopContainer: (id, o) => containers.stop(id, o),
    restartContainer: (id, o) => containers.restart(id, o),
    killContainer: (id, signal) => containers.kill(id, signal),
    removeContainer: (id, o) => containers.remove(id, o),
    listContainers: async (o) => containers.list(o),
    inspectContainer: async (id, o) => containers.inspect(id, o),
    containerLogs: (id, o, signal) => containers.logs(id, o, signal),
    waitContainer: (id, condition, signal) => containers.wait(id, condition, signal),
    topContainer: async (id, psArgs) => containers.top(id, psArgs),
    pauseContainer: (id) => containers.pause(id),
    unpauseContainer: (id) => containers.unpause(id),
    renameContainer: (id, name) => containers.rename(id, name),
    containerStats: (id, o = {}, signal) => containers.stats(id, o, signal),
    attachContainer: (id, o) => attacher.attach(id, o),
    resizeContainer: (id, h, w) => attacher.resize(id, h, w),
    updateContainer: (id, body) => containers.updateContainer(id, body),
    pruneContainers: (filters) => containers.prune(filters),
  };
}
