/**
 * The engine's networks: bridge networks made and removed with Docker's rules and messages, the
 * default `bridge`, containers' endpoints (addresses, MACs, aliases, interface names) kept in the
 * network records, the veths of running containers put in and taken out, and what a restart
 * finds reconciled with the records. One operation at a time.
 */
import { dockerTimestamp } from '../../common/docker-timestamp';
import { randomBytes } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  InvalidArgumentError,
  NotFoundError,
  TscomposeError,
} from '../../common/errors';
import type {
  EndpointSettings,
  NetworkConnectRequest,
  NetworkCreateRequest,
  NetworkCreateResponse,
  NetworkDisconnectRequest,
  NetworkInspect,
  NetworkingConfig,
  NetworkPruneResponse,
  NetworkSettings,
} from '../../engine-api/network/types';
import type { ListNetworksOptions } from '../../engine-api/network/api';
import { applyRulesIn, attachRunning, unwireAttachments } from '../runtime/network';
import type { NamespaceRules, NetworkAttachment } from '../runtime/spec';
import {
  bridgedHostsFile,
  embeddedDnsResolvConfFile,
  isHostsName,
  resolvConfFile,
} from '../containers/etc-files';
import { dnsRedirectRuleset, REDIRECT_SYSCTLS } from './dns/redirect';
import { DEFAULT_RESOLV_CONF, hostResolvConf } from './dns/resolv-conf';
import type { DnsService } from './dns/service';
import { NameIndex } from './name-index';
import {
  allocateSubnet,
  DEFAULT_ADDRESS_POOLS,
  findOverlap,
  formatCidr,
  Ipam,
  IpamError,
  parseCidr,
  parseIpv4,
  type AddressPool,
} from './ipam';
import type { ContainerNetworking, StartingContainer, StartNetwork } from './attach';
import type { ContainerPorts, PortRequest, PublishedPorts } from './container-ports';
import { ensureBridge, hostTakenSubnets, linksNamed, removeLinks } from './bridge';
import type { EndpointInfo, NetworkHooks, NetworkInfo } from './hooks';
import { bridgeName, bridgePrefix, hostVethName, vethPrefix } from './names';
import { NetworkStore, type EndpointRecord, type NetworkRecord } from './store';
import { pseudoNetwork, toInspect, toSettings } from './views';

export const DEFAULT_BRIDGE = 'bridge';
const PSEUDO = new Set(['host', 'none']);
const MTU_OPTION = 'com.docker.network.driver.mtu';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ALIAS = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const MAX_NAME = 128;
const LIST_FILTERS = new Set(['name', 'id', 'label', 'driver', 'type', 'dangling']);

/** What the networks need to know of a container. */
export interface ContainerRef {
  id: string;
  name: string;
  running: boolean;
  pid: number;
  networkMode: string;
  /** What it asks to publish (HostConfig.PortBindings, -P over its exposed ports). */
  ports?: PortRequest;
  /** Its own DNS servers (HostConfig.Dns): the embedded server forwards its queries there. */
  dns?: string[];
  /** HostConfig.Links: the embedded server answers their aliases to it. */
  links?: string[];
}

export interface NetworkManagerOptions {
  dir: string;
  /** The state root: what names the engine's links (names.ts). */
  root: string;
  /** `"default-network"` of engine.json; `bridge` when unset. */
  defaultNetwork?: string;
  /** Candidate subnets for networks that name none. */
  pool?: readonly (string | AddressPool)[];
  hooks?: NetworkHooks;
  /** Published ports; without it a container's PortBindings are ignored. */
  ports?: ContainerPorts;
  /** The embedded DNS server; without it (no nftables) containers get the host's servers. */
  dns?: DnsService;
  /** The host's resolv.conf (engine.json's "resolv-conf"): what containers' resolv.conf is made from. */
  resolvConf?: string;
  log?: (line: string) => void;
}

function newId(): string {
  return randomBytes(32).toString('hex');
}

/** docker's MAC for an address: 02:42 and the four bytes of the IPv4 address. */
function macFor(ip: string): string {
  const n = parseIpv4(ip) ?? 0;
  return ['02', '42', ...[24, 16, 8, 0].map((s) => ((n >>> s) & 255).toString(16).padStart(2, '0'))].join(
    ':',
  );
}

function ipamOptions(o: unknown): Record<string, string> | undefined {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  return Object.values(o).every((v) => typeof v === 'string')
    ? { ...(o as Record<string, string>) }
    : undefined;
}

/** The IPAM's refusals as kinds: an address in use is docker's 403, anything else a bad request. */
function ipamRefusals<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof IpamError)) throw err;
    if (err.code === 'ADDRESS_IN_USE') throw new ForbiddenError(err.message);
    if (err.code === 'IPAM_EXHAUSTED') throw new TscomposeError(err.message);
    throw new InvalidArgumentError(err.message);
  }
}

function info(n: NetworkRecord): NetworkInfo {
  const cfg = n.IPAM.Config[0] ?? {};
  return {
    id: n.Id,
    name: n.Name,
    bridge: n.bridge,
    subnet: cfg.Subnet ?? '',
    gateway: cfg.Gateway ?? '',
    internal: n.Internal,
    builtin: !!n.builtin,
  };
}

function prefixOf(n: NetworkRecord): number {
  return parseCidr(n.IPAM.Config[0]?.Subnet ?? '')?.prefix ?? 16;
}

export class NetworkManager implements ContainerNetworking {
  private readonly store: NetworkStore;
  private lookup: (ref: string) => ContainerRef | undefined = () => undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Containers whose exit was handled (containerStopped) and that have not started since. */
  private readonly stopped = new Set<string>();
  /**
   * Containers being started (forStart until containerStarted): their names answer from the
   * first instruction they run, as they may ask at once. A failed start leaves one here until
   * its next start or its removal.
   */
  private readonly starting = new Set<string>();
  /** Networks whose networkUp the hooks had from this daemon (the default bridge's is lazy). */
  private readonly announced = new Set<string>();

  constructor(private readonly o: NetworkManagerOptions) {
    this.store = new NetworkStore(o.dir);
  }

  /** How containers are found (by id, name or id prefix); set once the container manager exists. */
  setContainers(lookup: (ref: string) => ContainerRef | undefined): void {
    this.lookup = lookup;
  }

  private log(line: string): void {
    (this.o.log ?? ((l: string) => console.error(`tscompose: ${l}`)))(line);
  }

  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private all(): NetworkRecord[] {
    return this.store.all((id, why) => this.log(`network record ${id} cannot be read: ${why}`));
  }

  /**
   * The default `bridge` network's record is made when first needed, and its link only once a
   * container is on it (forStart, connect): an engine whose containers never use it adds no link
   * or route to the host, whatever lists or inspects it.
   */
  private ensureDefault(): void {
    if (!this.all().some((n) => n.builtin)) this.createRecord({ Name: DEFAULT_BRIDGE }, true);
  }

  private tryEnsureDefault(): void {
    try {
      this.ensureDefault();
    } catch (err) {
      this.log(`the default network ${DEFAULT_BRIDGE} cannot be made: ${(err as Error).message}`);
    }
  }

  /** By full id, then name, then unique id prefix: docker's order. */
  private find(ref: string): NetworkRecord {
    if (ref === DEFAULT_BRIDGE) this.ensureDefault();
    const all = this.all();
    const hit =
      all.find((n) => n.Id === ref) ??
      all.find((n) => n.Name === ref) ??
      (() => {
        const byPrefix = ref ? all.filter((n) => n.Id.startsWith(ref)) : [];
        if (byPrefix.length > 1)
          throw new InvalidArgumentError(
            `network ${ref} is ambiguous (${byPrefix.length} matches found based on ID)`,
          );
        return byPrefix[0];
      })();
    if (!hit) throw new NotFoundError(`network ${ref} not found`);
    return hit;
  }

  private async hook<K extends keyof NetworkHooks>(
    name: K,
    arg: Parameters<NonNullable<NetworkHooks[K]>>[0],
    mustWork: boolean,
  ): Promise<void> {
    const fn = this.o.hooks?.[name] as ((a: typeof arg) => void | Promise<void>) | undefined;
    if (!fn) return;
    try {
      await fn.call(this.o.hooks, arg);
    } catch (err) {
      if (mustWork) throw err;
      this.log(`network hook ${name}: ${(err as Error).message}`);
    }
  }

  private endpointInfo(n: NetworkRecord, containerId: string, e: EndpointRecord): EndpointInfo {
    return {
      network: info(n),
      containerId,
      containerName: e.name,
      ip: e.ip,
      aliases: e.aliases,
      hostVeth: e.hostVeth,
    };
  }

  // ---- daemon start -------------------------------------------------------------------------

  /**
   * Before containers come back: the default network exists, every recorded network has its
   * bridge (a reboot took them), and bridges of this engine no record names go.
   */
  async recover(): Promise<void> {
    await this.serial(async () => {
      const records = this.all();
      for (const n of records) {
        if (n.builtin && !Object.keys(n.endpoints).length) continue; // made when a container needs it
        try {
          this.announced.add(n.Id);
          this.bringUp(n);
          await this.hook('networkUp', info(n), false);
        } catch (err) {
          this.log(`network ${n.Name}: cannot set up its bridge ${n.bridge}: ${(err as Error).message}`);
        }
      }
      const known = new Set(records.map((n) => n.bridge));
      this.sweep('bridges', () => linksNamed(bridgePrefix(this.o.root)).filter((b) => !known.has(b)));
    });
  }

  /**
   * After containers came back: endpoints of containers that are gone go (their addresses free),
   * host veths no running container uses go, and the hooks learn the endpoints in use.
   */
  async reconcile(): Promise<void> {
    await this.serial(async () => {
      const inUse = new Set<string>();
      for (const n of this.all()) {
        let changed = false;
        for (const [id, e] of Object.entries(n.endpoints)) {
          const c = this.lookup(id);
          if (!c) {
            delete n.endpoints[id];
            changed = true;
          } else if (c.running) {
            inUse.add(e.hostVeth);
            await this.hook('endpointUp', this.endpointInfo(n, id, e), false);
            if (e.published)
              await this.o.ports
                ?.restore(id, e.ip, e.published)
                .catch((err: Error) =>
                  this.log(`container ${id.slice(0, 12)}: publishing its ports again: ${err.message}`),
                );
          }
        }
        if (changed) this.store.put(n);
      }
      this.sweep('veths', () => linksNamed(vethPrefix(this.o.root)).filter((v) => !inUse.has(v)));
      await this.restoreDns();
    });
  }

  /**
   * After a daemon restart: listeners again for the networks running containers use, on the
   * ports their redirects name; where a port had to change, those containers' rules follow.
   */
  private async restoreDns(): Promise<void> {
    if (!this.o.dns) return;
    await this.refreshNames();
    for (const n of this.all()) {
      if (n.builtin) continue;
      const running = Object.keys(n.endpoints)
        .map((id) => this.lookup(id))
        .filter((c): c is ContainerRef => !!c?.running);
      if (!running.length) continue;
      const before = n.dnsPort;
      try {
        const port = await this.dnsListen(n);
        if (port === before) continue;
      } catch (err) {
        this.log(`network ${n.Name}: no DNS listener on its gateway: ${(err as Error).message}`);
        continue;
      }
      for (const c of running) if (this.dnsNetworkOf(c.id)?.Id === n.Id) await this.retargetDns(c);
    }
  }

  /** Removes the links `find` names; a failure is logged: the daemon serves on without the sweep. */
  private sweep(what: string, find: () => string[]): void {
    try {
      const stray = find();
      if (stray.length) removeLinks(stray);
    } catch (err) {
      this.log(`removing the engine's unused ${what}: ${(err as Error).message}`);
    }
  }

  private bringUp(n: NetworkRecord): void {
    const cfg = n.IPAM.Config[0];
    ensureBridge(n.bridge, `${cfg.Gateway}/${prefixOf(n)}`, n.mtu);
    // The default bridge's link comes with its first container: the hooks learn of it then,
    // once per daemon (a link an earlier daemon made lost its NAT rules with that daemon).
    if (n.builtin && !this.announced.has(n.Id)) {
      this.announced.add(n.Id);
      void this.hook('networkUp', info(n), false);
    }
  }

  // ---- the API --------------------------------------------------------------------------------

  list(opts: ListNetworksOptions = {}): NetworkInspect[] {
    const filters = opts.filters ?? {};
    for (const key of Object.keys(filters))
      if (!LIST_FILTERS.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
    this.tryEnsureDefault();
    const all = [...this.all().map((n) => toInspect(n, false)), pseudoNetwork('host'), pseudoNetwork('none')];
    const records = new Map(this.all().map((n) => [n.Id, n]));
    const builtinNames = new Set([DEFAULT_BRIDGE, 'host', 'none']);
    const match = (n: NetworkInspect): boolean =>
      Object.entries(filters).every(([key, values]) =>
        values.some((v) => {
          switch (key) {
            case 'name':
              return n.Name.includes(v);
            case 'id':
              return n.Id.startsWith(v);
            case 'driver':
              return n.Driver === v;
            case 'type':
              if (v !== 'custom' && v !== 'builtin')
                throw new InvalidArgumentError(`invalid filter: 'type'='${v}'`);
              return (v === 'builtin') === (builtinNames.has(n.Name) && (records.get(n.Id)?.builtin ?? true));
            case 'dangling': {
              const used = Object.keys(records.get(n.Id)?.endpoints ?? {}).length > 0;
              return ['true', '1'].includes(v) ? !used : !['false', '0'].includes(v) || used;
            }
            default: {
              const [k, val] = v.split('=', 2);
              return k in n.Labels && (val === undefined || n.Labels[k] === val);
            }
          }
        }),
      );
    return all.filter(match).sort((a, b) => a.Name.localeCompare(b.Name));
  }

  inspect(ref: string): NetworkInspect {
    if (PSEUDO.has(ref)) return pseudoNetwork(ref as 'host' | 'none');
    const n = this.find(ref);
    const running = (id: string): boolean => this.lookup(id)?.running ?? false;
    return toInspect(n, true, running);
  }

  async create(body: NetworkCreateRequest): Promise<NetworkCreateResponse> {
    if (!body || typeof body.Name !== 'string' || !body.Name)
      throw new InvalidArgumentError('network name is required'); // a create without a name
    return this.serial(async () => {
      const n = this.createRecord(body, false);
      await this.hook('networkUp', info(n), true).catch((err: Error) => {
        this.dropNetwork(n);
        throw new TscomposeError(`failed to set up network ${n.Name}: ${err.message}`);
      });
      return { Id: n.Id, Warning: '' };
    });
  }

  private checkCreate(body: NetworkCreateRequest): void {
    const name = body.Name;
    if (name.length > MAX_NAME || !NAME.test(name))
      throw new InvalidArgumentError(
        `invalid network name ${JSON.stringify(name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      );
    const driver = body.Driver || 'bridge';
    if (driver !== 'bridge') throw new NotFoundError(`plugin "${driver}" not found`);
    if (body.EnableIPv6)
      throw new InvalidArgumentError(
        'IPv6 networks are not supported by this engine yet: create the network without --ipv6',
      );
    if (PSEUDO.has(name) || this.all().some((n) => n.Name === name))
      throw new ConflictError(`network with name ${name} already exists`);
    if ((body.IPAM?.Driver ?? 'default') !== 'default')
      throw new NotFoundError(`plugin "${body.IPAM?.Driver}" not found`);
    if ((body.IPAM?.Config?.length ?? 0) > 1)
      throw new InvalidArgumentError(
        'only one IPAM configuration (one IPv4 subnet) per network is supported',
      );
  }

  /** The record and its bridge; throws docker's errors before anything is made. */
  private createRecord(body: NetworkCreateRequest, builtin: boolean): NetworkRecord {
    if (!builtin) this.checkCreate(body);
    const others = this.all();
    const cfg = body.IPAM?.Config?.[0] ?? {};
    const mtuText = body.Options?.[MTU_OPTION];
    const mtu = mtuText === undefined ? 1500 : Number(mtuText);
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)
      throw new InvalidArgumentError(`invalid MTU ${JSON.stringify(mtuText)}: a number from 68 to 65535`);
    let subnet: string;
    if (cfg.Subnet) {
      const c = parseCidr(cfg.Subnet);
      if (!c || !cfg.Subnet.includes('/')) {
        if (cfg.Subnet.includes(':'))
          throw new InvalidArgumentError(
            'IPv6 networks are not supported by this engine yet: create the network without --ipv6',
          );
        throw new InvalidArgumentError(`invalid CIDR address: ${cfg.Subnet}`);
      }
      if (c.prefix > 30) throw new InvalidArgumentError(`subnet ${cfg.Subnet} is too small for a network`);
      subnet = formatCidr(c);
      const clash = findOverlap(
        subnet,
        others.map((o) => o.IPAM.Config[0]?.Subnet ?? ''),
      );
      if (clash) throw new ForbiddenError('Pool overlaps with other one on this address space');
    } else {
      if (cfg.Gateway || cfg.IPRange)
        throw new InvalidArgumentError('a gateway or an ip-range needs a subnet');
      const taken = [...hostTakenSubnets(), ...others.map((o) => o.IPAM.Config[0]?.Subnet ?? '')];
      try {
        subnet = allocateSubnet(this.o.pool ?? DEFAULT_ADDRESS_POOLS, taken);
      } catch (err) {
        throw new TscomposeError((err as Error).message);
      }
    }
    const ipam = ipamRefusals(() => Ipam.create({ subnet, gateway: cfg.Gateway, ipRange: cfg.IPRange }));
    let id = newId();
    const bridges = new Set(linksNamed(bridgePrefix(this.o.root)));
    while (bridges.has(bridgeName(this.o.root, id))) id = newId();
    const bridge = bridgeName(this.o.root, id);
    const record: NetworkRecord = {
      Id: id,
      Name: body.Name,
      Driver: 'bridge',
      Internal: body.Internal === true,
      EnableIPv6: false,
      Attachable: body.Attachable === true,
      Labels: { ...body.Labels },
      Options: builtin
        ? {
            'com.docker.network.bridge.default_bridge': 'true',
            'com.docker.network.bridge.name': bridge,
            [MTU_OPTION]: String(mtu),
          }
        : { ...body.Options },
      IPAM: {
        Config: [{ Subnet: subnet, Gateway: ipam.gateway, ...(cfg.IPRange ? { IPRange: cfg.IPRange } : {}) }],
        // dockerd keeps the IPAM options as the client sent them (the docker CLI sends `{}`).
        ...(ipamOptions(body.IPAM?.Options) ? { Options: ipamOptions(body.IPAM?.Options) } : {}),
      },
      userSubnet: !!cfg.Subnet,
      bridge,
      mtu,
      created: new Date().toISOString(),
      ...(builtin ? { builtin: true } : {}),
      endpoints: {},
    };
    try {
      if (!builtin) this.bringUp(record);
      this.store.put(record);
    } catch (err) {
      this.dropNetwork(record);
      throw new TscomposeError(`failed to create network ${body.Name}: ${(err as Error).message}`);
    }
    return record;
  }

  private dropNetwork(n: NetworkRecord): void {
    try {
      removeLinks([n.bridge]);
    } finally {
      this.store.remove(n.Id);
    }
  }

  async remove(ref: string): Promise<void> {
    await this.serial(async () => {
      if (PSEUDO.has(ref)) throw new ForbiddenError(`${ref} is a pre-defined network and cannot be removed`);
      const n = this.find(ref);
      if (n.builtin) throw new ForbiddenError(`${n.Name} is a pre-defined network and cannot be removed`);
      const active = Object.keys(n.endpoints)
        .map((id) => this.lookup(id))
        .filter((c): c is ContainerRef => !!c?.running);
      if (active.length) {
        const names = active.map((c) => `name:"${c.name}" id:"${c.id.slice(0, 12)}"`).join(', ');
        throw new ForbiddenError(
          `error while removing network: network ${n.Name} has active endpoints (${names})`,
        );
      }
      await this.hook('networkDown', info(n), false);
      this.dropNetwork(n);
      await this.refreshNames();
    });
  }

  async prune(filters: Record<string, string[]> = {}): Promise<NetworkPruneResponse> {
    for (const key of Object.keys(filters))
      if (!['label', 'until'].includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
    const until = (filters.until ?? []).map((v) => dockerTimestamp(v));
    return this.serial(async () => {
      const deleted: string[] = [];
      for (const n of this.all()) {
        if (n.builtin || Object.keys(n.endpoints).length) continue;
        if (!until.every((t) => Date.parse(n.created) < t)) continue;
        const labelled = (filters.label ?? []).every((v) => {
          const [k, val] = v.split('=', 2);
          return k in n.Labels && (val === undefined || n.Labels[k] === val);
        });
        if (!labelled) continue;
        await this.hook('networkDown', info(n), false);
        this.dropNetwork(n);
        deleted.push(n.Name);
      }
      await this.refreshNames();
      return { NetworksDeleted: deleted.length ? deleted : null };
    });
  }

  private container(ref: string): ContainerRef {
    const c = typeof ref === 'string' && ref ? this.lookup(ref) : undefined;
    if (!c) throw new NotFoundError(`No such container: ${ref}`);
    return c;
  }

  /** Refusals of a container whose namespace is not its own, or of the pseudo networks. */
  private checkConnectable(mode: string, target: string): void {
    if (mode === 'host' || target === 'host')
      throw new ForbiddenError(
        'container cannot be disconnected from host network or connected to host network',
      );
    if (mode.startsWith('container:'))
      throw new ForbiddenError(
        'container sharing network namespace with another container or host cannot be connected to any other network',
      );
    if (mode === 'none' || target === 'none')
      throw new ForbiddenError(
        'container cannot be connected to multiple networks with one of the networks in private (none) mode',
      );
  }

  async connect(ref: string, body: NetworkConnectRequest): Promise<void> {
    await this.serial(async () => {
      const c = this.container(body?.Container);
      this.checkConnectable(c.networkMode, ref);
      const n = this.find(ref);
      const e = this.addEndpoint(n, c.id, c.name, body.EndpointConfig);
      if (!c.running) return;
      try {
        this.bringUp(n); // a bridge someone deleted comes back
        // Its first user-defined network may be this one: the redirect is (re)loaded with it.
        const rules = await this.dnsRules(c.id);
        await attachRunning(c.pid, [this.attachment(n, e, false)], rules);
        await this.hook('endpointUp', this.endpointInfo(n, c.id, e), true);
      } catch (err) {
        this.removeEndpoint(n.Id, c.id);
        unwireAttachments([e.hostVeth]);
        await this.refreshNames();
        throw new TscomposeError(
          `failed to connect ${c.name} to network ${n.Name}: ${(err as Error).message}`,
        );
      }
      await this.refreshNames();
    });
  }

  async disconnect(ref: string, body: NetworkDisconnectRequest): Promise<void> {
    await this.serial(async () => {
      const named = typeof body?.Container === 'string' && body.Container !== '';
      const gone = !!body?.Force && named && !this.lookup(body.Container);
      if (gone) {
        this.dropStale(ref, body.Container);
        return this.refreshNames();
      }
      const c = this.container(body?.Container);
      if (PSEUDO.has(ref)) this.checkConnectable(c.networkMode, ref);
      const n = this.find(ref);
      const e = n.endpoints[c.id];
      if (!e) throw new ForbiddenError(`container ${c.id} is not connected to the network ${n.Name}`);
      const dnsBefore = this.dnsNetworkOf(c.id)?.Id;
      if (c.running) {
        unwireAttachments([e.hostVeth]);
        await this.hook('endpointDown', this.endpointInfo(n, c.id, e), false);
      }
      this.removeEndpoint(n.Id, c.id);
      if (c.running && dnsBefore === n.Id) await this.retargetDns(c);
      await this.refreshNames();
    });
  }

  /** docker's `disconnect --force` of a container that is gone: its endpoint (by id prefix or name) goes. */
  private dropStale(ref: string, container: string): void {
    const n = this.find(ref);
    const hit = Object.entries(n.endpoints).find(
      ([id, e]) => id.startsWith(container) || e.name === container,
    );
    if (!hit) throw new NotFoundError(`No such container: ${container}`);
    this.removeEndpoint(n.Id, hit[0]);
    unwireAttachments([hit[1].hostVeth]);
  }

  // ---- endpoints ------------------------------------------------------------------------------

  private endpointsOf(containerId: string): { n: NetworkRecord; e: EndpointRecord }[] {
    return this.all()
      .filter((n) => n.endpoints[containerId])
      .map((n) => ({ n, e: n.endpoints[containerId] }))
      .sort((a, b) => a.e.ifName.localeCompare(b.e.ifName, undefined, { numeric: true }));
  }

  private addEndpoint(
    n: NetworkRecord,
    containerId: string,
    name: string,
    cfg?: EndpointSettings,
  ): EndpointRecord {
    const aliases = (cfg?.Aliases ?? []).filter((a) => a !== '');
    const requested = cfg?.IPAMConfig?.IPv4Address || undefined;
    if (n.builtin && aliases.length)
      throw new InvalidArgumentError(
        'network-scoped alias is supported only for containers in user defined networks',
      );
    for (const a of aliases)
      if (a.length > 253 || !ALIAS.test(a))
        throw new InvalidArgumentError(`invalid network alias ${JSON.stringify(a)}`);
    if (cfg?.IPAMConfig?.IPv6Address)
      throw new InvalidArgumentError('IPv6 addresses are not supported by this engine yet');
    if (requested && n.builtin)
      throw new InvalidArgumentError('user specified IP address is supported on user defined networks only');
    if (requested && !n.userSubnet)
      throw new InvalidArgumentError(
        'user specified IP address is supported only when connecting to networks with user configured subnets',
      );
    if (n.endpoints[containerId])
      throw new ForbiddenError(`endpoint with name ${name} already exists in network ${n.Name}`);
    const cfg0 = n.IPAM.Config[0];
    const ipam = ipamRefusals(() =>
      Ipam.fromState({
        subnet: cfg0.Subnet!,
        gateway: cfg0.Gateway!,
        ipRange: cfg0.IPRange,
        allocated: Object.values(n.endpoints).map((x) => x.ip),
        next: n.ipamNext,
      }),
    );
    const ip = ipamRefusals(() => ipam.allocate(requested));
    const mac = cfg?.MacAddress || macFor(ip);
    if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac) || (parseInt(mac.slice(0, 2), 16) & 1) === 1)
      throw new InvalidArgumentError(`invalid MAC address: ${mac}`);
    const used = new Set(this.endpointsOf(containerId).map((x) => x.e.ifName));
    let i = 0;
    while (used.has(`eth${i}`)) i++;
    const e: EndpointRecord = {
      name,
      endpointId: newId(),
      ip,
      mac: mac.toLowerCase(),
      aliases,
      hostVeth: hostVethName(this.o.root, containerId, n.Id),
      ifName: `eth${i}`,
      ...(requested ? { requestedIp: requested } : {}),
    };
    n.endpoints[containerId] = e;
    n.ipamNext = ipam.toState().next;
    this.store.put(n);
    return e;
  }

  private removeEndpoint(networkId: string, containerId: string): void {
    const n = this.store.get(networkId);
    if (!n?.endpoints[containerId]) return;
    delete n.endpoints[containerId];
    this.store.put(n);
  }

  private attachment(n: NetworkRecord, e: EndpointRecord, gateway: boolean): NetworkAttachment {
    return {
      ifName: e.ifName,
      hostVeth: e.hostVeth,
      bridge: n.bridge,
      mtu: n.mtu,
      mac: e.mac,
      address: `${e.ip}/${prefixOf(n)}`,
      ...(gateway ? { gateway: n.IPAM.Config[0].Gateway } : {}),
    };
  }

  // ---- ContainerNetworking --------------------------------------------------------------------

  resolveMode(mode: string | undefined): string {
    return !mode || mode === 'default' ? (this.o.defaultNetwork ?? DEFAULT_BRIDGE) : mode;
  }

  async containerCreated(id: string, name: string, mode: string, config?: NetworkingConfig): Promise<void> {
    await this.serial(() => {
      if (mode === 'none' || mode === 'host' || mode.startsWith('container:')) {
        // A namespace not its own (or none) takes no other network: docker's refusals.
        for (const key of Object.keys(config?.EndpointsConfig ?? {}))
          if (key !== mode && key !== 'default') this.checkConnectable(mode, key);
        if (mode.startsWith('container:')) this.container(mode.slice('container:'.length));
        return;
      }
      const primary = this.find(mode);
      const wanted: { n: NetworkRecord; cfg?: EndpointSettings }[] = [];
      const entries = Object.entries(config?.EndpointsConfig ?? {});
      // `default`: the network the engine's default resolved to (docker's CLI key without --network).
      const configFor = (n: NetworkRecord): EndpointSettings | undefined =>
        entries.find(
          ([k]) => k === n.Name || k === n.Id || (k.length >= 12 && n.Id.startsWith(k)) || k === 'default',
        )?.[1];
      wanted.push({ n: primary, cfg: configFor(primary) });
      for (const [key, cfg] of entries) {
        if (key === 'default') continue;
        if (PSEUDO.has(key)) this.checkConnectable(mode, key);
        const n = this.find(key);
        if (n.Id !== primary.Id && !wanted.some((w) => w.n.Id === n.Id)) wanted.push({ n, cfg });
      }
      const made: string[] = [];
      try {
        for (const w of wanted) {
          this.addEndpoint(this.store.get(w.n.Id) ?? w.n, id, name, w.cfg);
          made.push(w.n.Id);
        }
      } catch (err) {
        for (const nid of made) this.removeEndpoint(nid, id);
        throw err;
      }
    });
  }

  async forStart(id: string, mode: string, container: StartingContainer): Promise<StartNetwork> {
    if (mode === 'none' || mode === 'host') return { network: { mode } };
    if (mode.startsWith('container:')) {
      const ref = mode.slice('container:'.length);
      const c = this.lookup(ref);
      if (!c) throw new NotFoundError(`No such container: ${ref}`);
      if (!c.running) throw new ConflictError(`cannot join network of a non running container: ${c.id}`);
      return { network: { mode: 'container', joinPid: c.pid } };
    }
    return this.serial(async () => {
      const eps = this.endpointsOf(id);
      if (!eps.length) this.find(mode); // the network it was made for is gone: docker's "network x not found"
      // The default route goes through the first network with a way out.
      const routed = eps.find(({ n }) => !n.Internal);
      const attach = eps.map(({ n, e }) => this.attachment(n, e, routed?.n.Id === n.Id));
      for (const { n } of eps) this.bringUp(n); // a bridge someone deleted comes back
      const rules = await this.dnsRules(id);
      if (rules) {
        this.stopped.delete(id);
        this.starting.add(id);
        await this.refreshNames();
      }
      return {
        network: { mode: 'bridge', attach, ...(rules ? { rules } : {}) },
        etcFiles: this.etcFiles(eps, container, rules !== undefined),
      };
    });
  }

  /**
   * Docker's files of a bridged container: /etc/hosts with its addresses, names and aliases;
   * resolv.conf naming the embedded server (user-defined networks) or the host's servers
   * (the default bridge, which has no name resolution).
   */
  private etcFiles(
    eps: { n: NetworkRecord; e: EndpointRecord }[],
    c: StartingContainer,
    embedded: boolean,
  ): { hosts: string; resolvConf: string } | undefined {
    if (!eps.length) return undefined;
    // An alias /etc/hosts cannot hold (docker's alias rule is looser) is still a DNS name.
    const aliases = eps
      .filter(({ n }) => !n.builtin)
      .flatMap(({ e }) => e.aliases)
      .filter(isHostsName);
    const hosts = bridgedHostsFile(
      c.hostConfig,
      c.hostname,
      c.domainname,
      eps.map(({ e }) => e.ip),
      aliases,
    );
    const host = hostResolvConf(this.o.resolvConf ?? DEFAULT_RESOLV_CONF);
    const resolvConf = embedded
      ? embeddedDnsResolvConfFile(c.hostConfig, host)
      : resolvConfFile('bridge', c.hostConfig, host);
    return { hosts, resolvConf };
  }

  // ---- the embedded DNS server -----------------------------------------------------------------

  /** The network whose gateway a container's 127.0.0.11 leads to: its first user-defined one. */
  private dnsNetworkOf(containerId: string): NetworkRecord | undefined {
    return this.endpointsOf(containerId).find(({ n }) => !n.builtin)?.n;
  }

  /** The listener on `n`'s gateway, opened if need be, on the port it had (recorded) if it can. */
  private async dnsListen(n: NetworkRecord): Promise<number | undefined> {
    const dns = this.o.dns;
    const gateway = n.IPAM.Config[0]?.Gateway;
    if (!dns || !gateway) return undefined;
    const port = await dns.listen(gateway, n.dnsPort);
    if (port !== n.dnsPort) {
      const fresh = this.store.get(n.Id);
      if (fresh) this.store.put({ ...fresh, dnsPort: port });
      n.dnsPort = port;
    }
    return port;
  }

  /** The redirect of 127.0.0.11:53 a container's namespace loads; undefined: no embedded DNS for it. */
  private async dnsRules(containerId: string): Promise<NamespaceRules | undefined> {
    const n = this.dnsNetworkOf(containerId);
    const port = n && (await this.dnsListen(n));
    if (!n || !port) return undefined;
    return {
      sysctls: [...REDIRECT_SYSCTLS],
      nftables: dnsRedirectRuleset({ gateway: n.IPAM.Config[0].Gateway!, port }),
    };
  }

  /**
   * The name index made again from the records, and listeners of networks with no container
   * left closed. Containers whose exit is being handled still run to the container manager:
   * `stopped` leaves them out until they start again; `starting` ones are in.
   */
  private async refreshNames(): Promise<void> {
    const dns = this.o.dns;
    if (!dns) return;
    const records = this.all();
    dns.setResolver(
      new NameIndex(records, (id) => {
        if (this.stopped.has(id)) return undefined;
        const c = this.lookup(id);
        return c && (c.running || this.starting.has(id)) ? { dns: c.dns, links: c.links } : undefined;
      }),
    );
    const used = new Set(
      records
        .filter((n) => !n.builtin && Object.keys(n.endpoints).length)
        .map((n) => n.IPAM.Config[0]?.Gateway),
    );
    for (const l of dns.listeners)
      if (!used.has(l.address))
        await dns
          .unlisten(l.address)
          .catch((err: Error) => this.log(`dns: closing the listener on ${l.address}: ${err.message}`));
  }

  /** A running container whose DNS network changed (a connect, a disconnect) has its redirect loaded again. */
  private async retargetDns(c: ContainerRef): Promise<void> {
    const rules = await this.dnsRules(c.id);
    if (!rules) return;
    await applyRulesIn(c.pid, rules).catch((err: Error) =>
      this.log(`container ${c.id.slice(0, 12)}: loading its DNS redirect: ${err.message}`),
    );
  }

  /** Stops serving DNS (daemon stop): containers keep their rules for the next daemon. */
  async close(): Promise<void> {
    await this.o.dns?.close();
  }

  async containerStarted(id: string): Promise<void> {
    const eps = this.endpointsOf(id);
    for (const { n, e } of eps) await this.hook('endpointUp', this.endpointInfo(n, id, e), false);
    this.stopped.delete(id);
    this.starting.delete(id);
    await this.serial(() => this.refreshNames());
    const c = this.lookup(id);
    if (!this.o.ports || !c?.ports || !eps.length) return;
    // Docker publishes on the address of the network the container was created on.
    const primary = eps.find(({ n }) => n.Name === c.networkMode || n.Id === c.networkMode) ?? eps[0];
    const published = await this.o.ports.publish(id, primary.e.ip, c.ports);
    this.setPublished(primary.n.Id, id, published);
  }

  /** Notes (or, undefined, forgets) what a container published on its endpoint of network `networkId`. */
  private setPublished(networkId: string, containerId: string, published: PublishedPorts | undefined): void {
    const n = this.store.get(networkId);
    const e = n?.endpoints[containerId];
    if (!n || !e || (!published && !e.published)) return;
    if (published) e.published = published;
    else delete e.published;
    this.store.put(n);
  }

  async containerStopped(id: string): Promise<void> {
    await this.o.ports
      ?.unpublish(id)
      .catch((err: Error) =>
        this.log(`container ${id.slice(0, 12)}: unpublishing its ports: ${err.message}`),
      );
    for (const { n, e } of this.endpointsOf(id)) {
      this.setPublished(n.Id, id, undefined);
      await this.hook('endpointDown', this.endpointInfo(n, id, e), false);
    }
    this.starting.delete(id);
    this.stopped.add(id);
    await this.serial(() => this.refreshNames());
  }

  async containerRemoved(id: string): Promise<void> {
    await this.serial(async () => {
      const eps = this.endpointsOf(id);
      for (const { n } of eps) this.removeEndpoint(n.Id, id);
      // Gone with the container's namespace already, unless something still holds it.
      if (eps.length) unwireAttachments(eps.map(({ e }) => e.hostVeth));
      this.stopped.delete(id);
      this.starting.delete(id);
      await this.refreshNames();
    });
  }

  /** docker renames a container's endpoints with it: its names answer from now on, the old one no more. */
  async containerRenamed(id: string, name: string): Promise<void> {
    await this.serial(async () => {
      for (const { n } of this.endpointsOf(id)) {
        const fresh = this.store.get(n.Id);
        const e = fresh?.endpoints[id];
        if (!fresh || !e) continue;
        e.name = name;
        this.store.put(fresh);
      }
      await this.refreshNames();
    });
  }

  settings(id: string, mode: string, running: boolean): NetworkSettings {
    const pseudo = mode === 'host' || mode === 'none' ? mode : undefined;
    const settings = toSettings(this.endpointsOf(id), running, pseudo);
    if (running && this.o.ports) settings.Ports = this.o.ports.inspect(id);
    return settings;
  }
}
