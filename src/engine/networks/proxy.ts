/**
 * The userland proxy (docker-proxy's role): a host socket whose traffic is relayed to a
 * container's address, for what DNAT cannot serve (clients of an address family or a path the
 * nftables rules do not cover, or when nftables is not available). It costs CPU and hides the
 * client's address from the container, so DNAT stays the first path.
 *
 * Bounded: TCP connections are capped, each UDP client gets a flow (its own socket to the
 * container) that ends after an idle time, and flows are capped too; past a cap, new clients are
 * refused (TCP) or their datagrams dropped (UDP) rather than growing the daemon.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export interface ProxyTarget {
  proto: 'tcp' | 'udp';
  /** Host address to listen on; '' is every IPv4 address, '::' every IPv6 one (IPv6 only). */
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
}

export interface ProxyLimits {
  maxConnections: number;
  maxUdpFlows: number;
  udpIdleMs: number;
}

const DEFAULT_LIMITS: ProxyLimits = { maxConnections: 1024, maxUdpFlows: 1024, udpIdleMs: 30_000 };

export interface PortProxy {
  readonly target: ProxyTarget;
  /** Live TCP connections or UDP flows. */
  active(): number;
  close(): Promise<void>;
}

function v6(t: ProxyTarget): boolean {
  return t.hostIp.includes(':');
}

function listenError(t: ProxyTarget, err: NodeJS.ErrnoException): Error {
  const host = v6(t) ? `[${t.hostIp}]` : t.hostIp || '0.0.0.0';
  const e = new Error(
    `userland proxy: cannot listen on ${host}:${t.hostPort}/${t.proto}: ${err.code ?? err.message}`,
  );
  return Object.assign(e, { code: err.code });
}

function startTcp(t: ProxyTarget, limits: ProxyLimits): Promise<PortProxy> {
  const pairs = new Map<net.Socket, net.Socket>();
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    const upstream = net.connect({ host: t.containerIp, port: t.containerPort, allowHalfOpen: true });
    pairs.set(client, upstream);
    const drop = (): void => {
      // A reset on either side resets the other; a clean end is passed on by pipe().
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', () => {
      pairs.delete(client);
      if (!upstream.writableEnded) upstream.end();
    });
    upstream.on('error', drop).on('close', () => {
      if (!client.writableEnded) client.end();
    });
    upstream.once('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(listenError(t, err)));
    server.listen({ host: t.hostIp || '0.0.0.0', port: t.hostPort, exclusive: true, ipv6Only: v6(t) }, () => {
      server.on('error', () => {});
      resolve({
        target: t,
        active: () => pairs.size,
        close: () =>
          new Promise<void>((done) => {
            for (const [c, u] of pairs) {
              c.destroy();
              u.destroy();
            }
            server.close(() => done());
          }),
      });
    });
  });
}

interface Flow {
  socket: dgram.Socket;
  timer: NodeJS.Timeout;
}

function startUdp(t: ProxyTarget, limits: ProxyLimits): Promise<PortProxy> {
  const listener = dgram.createSocket({ type: v6(t) ? 'udp6' : 'udp4', ipv6Only: v6(t) });
  const flows = new Map<string, Flow>();
  let closed = false;
  const endFlow = (key: string): void => {
    const f = flows.get(key);
    if (!f) return;
    flows.delete(key);
    clearTimeout(f.timer);
    f.socket.close();
  };
  listener.on('message', (msg, from) => {
    if (closed) return;
    const key = `${from.address}:${from.port}`;
    let flow = flows.get(key);
    if (!flow) {
      if (flows.size >= limits.maxUdpFlows) return;
      const socket = dgram.createSocket('udp4');
      socket.on('error', () => endFlow(key));
      socket.on('message', (reply, src) => {
        // Unconnected (a connect is asynchronous and would drop the first datagrams), so only
        // the container's own replies are passed on.
        if (src.address !== t.containerIp || src.port !== t.containerPort) return;
        const f = flows.get(key);
        if (f) f.timer.refresh();
        if (!closed) listener.send(reply, from.port, from.address);
      });
      flow = { socket, timer: setTimeout(() => endFlow(key), limits.udpIdleMs) };
      flow.timer.unref();
      flows.set(key, flow);
    }
    flow.timer.refresh();
    flow.socket.send(msg, t.containerPort, t.containerIp);
  });
  return new Promise((resolve, reject) => {
    listener.once('error', (err) => reject(listenError(t, err)));
    listener.bind({ address: t.hostIp || '0.0.0.0', port: t.hostPort, exclusive: true }, () => {
      listener.on('error', () => {});
      resolve({
        target: t,
        active: () => flows.size,
        close: () =>
          new Promise<void>((done) => {
            closed = true;
            for (const key of [...flows.keys()]) endFlow(key);
            listener.close(() => done());
          }),
      });
    });
  });
}

export function startProxy(target: ProxyTarget, limits: Partial<ProxyLimits> = {}): Promise<PortProxy> {
  const l = { ...DEFAULT_LIMITS, ...limits };
  return target.proto === 'tcp' ? startTcp(target, l) : startUdp(target, l);
}

/** The proxies of every container, so a container's all go with it. */
export class ProxySet {
  private readonly byContainer = new Map<string, PortProxy[]>();

  constructor(private readonly limits: Partial<ProxyLimits> = {}) {}

  /** Starts one proxy per target, all or none. */
  async start(containerId: string, targets: readonly ProxyTarget[]): Promise<void> {
    const started: PortProxy[] = [];
    try {
      for (const t of targets) started.push(await startProxy(t, this.limits));
    } catch (err) {
      await Promise.all(started.map((p) => p.close()));
      throw err;
    }
    this.byContainer.set(containerId, [...(this.byContainer.get(containerId) ?? []), ...started]);
  }

  async stop(containerId: string): Promise<void> {
    const list = this.byContainer.get(containerId) ?? [];
    this.byContainer.delete(containerId);
    await Promise.all(list.map((p) => p.close()));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.byContainer.keys()].map((id) => this.stop(id)));
  }

  /** For the leak sweep: host ports still proxied. */
  listening(): ProxyTarget[] {
    return [...this.byContainer.values()].flat().map((p) => p.target);
  }
}
