/**
 * The engine in one object: wires the image store, the container manager and the runtime, and
 * composes one adapter per resource (system, containers, execs, events, images, registries) into
 * the EngineApi that the daemon's HTTP server serves (and that tests may use in-process).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineApi } from '../engine-api/engine-api';
import { archiveApi } from './containers/archive-api';
import { ContainerAttacher } from './containers/attach';
import { containerApi } from './containers/container-api';
import { execApi } from './containers/exec-api';
import { ExecManager } from './containers/execs';
import { ContainerManager } from './containers/manager';
import { engineConfigPath, readEngineConfig } from './engine-config';
import { eventsApi } from './event-stream';
import { EventBus } from './events';
import type { ContainerUse } from './images/gc';
import { imageApi } from './images/image-api';
import { imageLimits } from './images/limits';
import { reclaim } from './images/reclaim';
import { daemonLogConfig } from './logs/drivers';
import { registryApi } from './images/registry/registry-api';
import { ImageStore } from './images/store';
import type { EnginePaths } from '../engine-api/paths';
import { makePrivate, PRIVATE_DIR } from './state/private';
import { cgroupDriver, cgroupParentFor } from './runtime/cgroups';
import { InitPool } from './runtime/init-pool';
import { NetworkManager, type ContainerRef } from './networks/manager';
import { networkApi } from './networks/network-api';
import { combineHooks } from './networks/hooks';
import { Nat } from './networks/nat';
import { DnsService } from './networks/dns/service';
import { NameIndex } from './networks/name-index';
import { NatHooks } from './networks/nat-hooks';
import { ContainerPorts, type PortRequest } from './networks/container-ports';
import type { PortMap, PortSet } from './networks/ports';
import { PortPublisher } from './networks/publisher';
import { nftAvailable } from '../platform/linux/nftables';
import type { NetworkHooks } from './networks/hooks';
import { SpaceReserve } from './state/reserve';
import { systemApi } from './system-api';
import { systemStateApi } from './system/state-api';
import { withResourceEvents } from './resource-events';
import { VolumeManager } from './volumes/manager';
import { volumeApi } from './volumes/volume-api';

export interface Engine extends EngineApi {
  /** Where the embedded DNS server listens, `{address, port}` each (one per network in use). */
  dnsListeners(): { address: string; port: number }[];
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

function portRequest(hc: object, config: object): PortRequest | undefined {
  const h = hc as { PortBindings?: PortMap | null; PublishAllPorts?: boolean };
  const exposed = (config as { ExposedPorts?: PortSet | null }).ExposedPorts ?? {};
  const bindings = h.PortBindings ?? {};
  if (!h.PublishAllPorts && !Object.keys(bindings).length) return undefined;
  return { bindings, exposed, publishAll: h.PublishAllPorts === true };
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
      ports: portRequest(c.HostConfig, c.Config),
      dns: c.HostConfig.Dns ?? undefined,
      links: (c.HostConfig as { Links?: string[] | null }).Links ?? undefined,
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
  for (const dir of [paths.root, paths.images, paths.containers, paths.volumes, paths.networks])
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  makePrivate(paths);
  const engineConfig = readEngineConfig();
  const images = new ImageStore(paths.images, imageLimits(engineConfig));
  const bus = new EventBus();
  const pool = new InitPool();
  // Who uses a volume is read from the container records each time: nothing to keep in step.
  const volumes = new VolumeManager({
    dir: paths.volumes,
    users: () => containers.volumeUsers(),
    log: opts.log ?? ((line) => console.error(`tscompose: ${line}`)),
  });
  volumes.recover();
  // Without libnftables, bridges still work; nothing is masqueraded or published by DNAT.
  const nat = nftAvailable() ? new NatHooks(new Nat(paths.root)) : undefined;
  nat?.start();
  const ports = new ContainerPorts(new PortPublisher(nat?.nat, { ensureTable: () => nat?.ensure() }));
  const log = opts.log ?? ((line: string) => console.error(`tscompose: ${line}`));
  // The redirect to it is an nftables rule in each container: no nftables, no embedded DNS.
  const dns = nat
    ? new DnsService(NameIndex.empty(), { resolvConf: engineConfig['resolv-conf'], log })
    : undefined;
  const networks = new NetworkManager({
    dir: paths.networks,
    root: paths.root,
    defaultNetwork: engineConfig['default-network'],
    hooks: combineHooks(nat, opts.networkHooks),
    ports,
    dns,
    resolvConf: engineConfig['resolv-conf'],
    log: opts.log,
  });
  // Bridges first: containers that come back with the engine start on them.
  await networks.recover();
  const containers: ContainerManager = new ContainerManager({
    dir: paths.containers,
    images,
    cgroupParent: cgroupParentFor(paths.root),
    runRoot: paths.runRoot,
    bus,
    pool,
    logDefaults: daemonLogConfig(engineConfig, engineConfigPath()),
    log: opts.log,
    reserve: new SpaceReserve(path.join(paths.root, 'reserve')),
    volumes,
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

  const containersPart = containerApi(containers, attacher);
  const networksPart = networkApi(networks);
  const registryPart = registryApi(images);
  const imagesPart = imageApi(images, () => imagesInUse(containers));
  const volumesPart = volumeApi(volumes);

  return {
    ...systemApi(opts),
    ...systemStateApi({
      root: paths.root,
      containersDir: paths.containers,
      version: opts.version,
      config: engineConfig,
      logDriver: daemonLogConfig(engineConfig, engineConfigPath()).Type,
      store: images,
      images: imagesPart,
      containers: containersPart,
      volumes: volumesPart,
      volumeUsers: () => containers.volumeUsers(),
    }),
    ...containersPart,
    ...execApi(execs),
    ...eventsApi(bus),
    ...imagesPart,
    ...registryPart,
    ...volumesPart,
    ...networksPart,
    ...archiveApi(containers, images, paths.runRoot),
    ...withResourceEvents(
      { ...imagesPart, ...registryPart, ...volumesPart, ...networksPart, ...containersPart },
      bus,
    ),
    dnsListeners: () => dns?.listeners ?? [],
    close: async () => {
      await containers.close();
      await networks.close().catch((err: Error) => log(`closing the DNS listeners: ${err.message}`));
      await volumes.close();
      pool.close();
      await ports.close().catch((err: Error) => opts.log?.(`closing published ports: ${err.message}`));
      try {
        nat?.close();
      } catch (err) {
        opts.log?.(`removing the engine's nftables table: ${(err as Error).message}`);
      }
      // Every container is stopped now: the engine's own cgroup parent goes too (a crashed
      // daemon leaves it, with the containers it keeps for the next one).
      await cgroupDriver()
        .removeParent(cgroupParentFor(paths.root))
        .catch(() => undefined);
    },
  };
}
