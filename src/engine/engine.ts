/**
 * The engine in one object: wires the image store, the container manager and the runtime behind
 * the EngineApi that the daemon's HTTP server serves (and that tests may use in-process).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineApi } from './api/engine-api';
import { API_VERSION, type VersionResponse } from './api/types';
import { ContainerAttacher } from './containers/attach';
import { ExecManager } from './containers/execs';
import { ContainerManager } from './containers/manager';
import { engineConfigPath, readEngineConfig } from './engine-config';
import { streamEvents } from './event-stream';
import { EventBus } from './events';
import type { ContainerUse } from './images/gc';
import { imageApi } from './images/image-api';
import { imageLimits } from './images/limits';
import { reclaim } from './images/reclaim';
import { daemonLogConfig } from './logs/drivers';
import { registryApi } from './images/registry/registry-api';
import { ImageStore } from './images/store';
import type { EnginePaths } from './paths';
import { makePrivate, PRIVATE_DIR } from './state/private';
import { cgroupDriver, cgroupParentFor } from './runtime/cgroups';
import { InitPool } from './runtime/init-pool';
import { NetworkManager, type ContainerRef } from './networks/manager';
import { networkApi } from './networks/network-api';
import type { NetworkHooks } from './networks/hooks';
import { SpaceReserve } from './state/reserve';

export interface Engine extends EngineApi {
  /** Names of containers on the client's user-defined networks (the DNS server's resolver). */
  resolveName(clientIp: string, name: string): string[] | undefined;
  /** Stops serving: stops following logs and watching containers (containers keep running). */
  close(): Promise<void>;
}

export interface EngineOptions {
  paths: EnginePaths;
  /** Reported by /version; the CLI restarts an auto-started daemon whose build differs. */
  buildId: string;
  version: string;
  /** The daemon's log (trouble no request reports, such as a full disk). */
  log?: (line: string) => void;
  /** Where NAT and DNS plug into the networks. */
  networkHooks?: NetworkHooks;
}

function containerRef(containers: ContainerManager, ref: string): ContainerRef | undefined {
  try {
    const c = containers.inspect(ref);
    return {
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      running: c.State.Running && c.State.Pid > 0,
      pid: c.State.Pid,
      networkMode: c.HostConfig.NetworkMode ?? '',
    };
  } catch {
    return undefined;
  }
}

/** Image ID → a container using it, a running one first: what image removal must respect. */
function imagesInUse(containers: ContainerManager): Map<string, ContainerUse> {
  const users = new Map<string, ContainerUse>();
  for (const c of containers.list({ all: true })) {
    const running = c.State === 'running' || c.State === 'paused' || c.State === 'restarting';
    if (!users.get(c.ImageID)?.running) users.set(c.ImageID, { id: c.Id, running });
  }
  return users;
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const { paths } = opts;
  for (const dir of [paths.root, paths.images, paths.containers, paths.networks])
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  makePrivate(paths);
  const engineConfig = readEngineConfig();
  const images = new ImageStore(paths.images, imageLimits(engineConfig));
  const bus = new EventBus();
  const pool = new InitPool();
  const networks = new NetworkManager({
    dir: paths.networks,
    root: paths.root,
    defaultNetwork: engineConfig['default-network'],
    hooks: opts.networkHooks,
    log: opts.log,
  });
  // Bridges first: containers that come back with the engine start on them.
  await networks.recover();
  const containers = new ContainerManager({
    dir: paths.containers,
    images,
    cgroupParent: cgroupParentFor(paths.root),
    runRoot: paths.runRoot,
    bus,
    pool,
    logDefaults: daemonLogConfig(engineConfig, engineConfigPath()),
    log: opts.log,
    reserve: new SpaceReserve(path.join(paths.root, 'reserve')),
    networks,
  });
  networks.setContainers((ref) => containerRef(containers, ref));
  await containers.recover();
  await networks.reconcile();
  // What a crash left in the image store goes before anything new is started.
  await reclaim(images, { inUse: new Set(imagesInUse(containers).keys()), startup: true }).catch(
    (err: Error) => console.error(`tscompose: reclaiming the image store: ${err.message}`),
  );
  pool.warm();
  const execs = new ExecManager(containers);
  const attacher = new ContainerAttacher(containers, bus);

  const version: VersionResponse = {
    Version: opts.version,
    ApiVersion: API_VERSION,
    MinAPIVersion: '1.24',
    Os: 'linux',
    Arch: os.arch() === 'x64' ? 'amd64' : os.arch(),
    KernelVersion: os.release(),
    BuildId: opts.buildId,
  };

  return {
    version: async () => version,
    createContainer: (body, name) => containers.create(body, name),
    startContainer: (id) => containers.start(id),
    stopContainer: (id, o) => containers.stop(id, o),
    restartContainer: (id, o) => containers.restart(id, o),
    killContainer: (id, signal) => containers.kill(id, signal),
    removeContainer: (id, o) => containers.remove(id, o),
    listContainers: async (o) => containers.list(o),
    inspectContainer: async (id) => containers.inspect(id),
    containerLogs: (id, o, signal) => containers.logs(id, o, signal),
    waitContainer: (id, condition, signal) => containers.wait(id, condition, signal),
    topContainer: async (id, psArgs) => containers.top(id, psArgs),
    createExec: async (id, body) => execs.create(id, body),
    startExec: (id, signal) => execs.start(id, signal),
    inspectExec: async (id) => execs.inspect(id),
    pauseContainer: (id) => containers.pause(id),
    unpauseContainer: (id) => containers.unpause(id),
    containerStats: (id, o = {}, signal) => containers.stats(id, o, signal),
    events: (o = {}, signal) => streamEvents(bus, o, signal),
    attachContainer: (id, o) => attacher.attach(id, o),
    startExecAttached: (id, o) => execs.startAttached(id, o),
    resizeContainer: (id, h, w) => attacher.resize(id, h, w),
    resizeExec: (id, h, w) => execs.resize(id, h, w),

    ...imageApi(images, () => imagesInUse(containers)),
    ...registryApi(images),
    ...networkApi(networks),
    resolveName: (clientIp, name) => networks.resolve(clientIp, name),
    close: async () => {
      await containers.close();
      pool.close();
      // Every container is stopped now: the engine's own cgroup parent goes too (a crashed
      // daemon leaves it, with the containers it keeps for the next one).
      await cgroupDriver()
        .removeParent(cgroupParentFor(paths.root))
        .catch(() => undefined);
    },
  };
}
