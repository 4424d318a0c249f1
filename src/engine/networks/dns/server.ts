/**
 * The engine's embedded DNS server: one per engine, listening over UDP and TCP on each
 * network's gateway address (a container's 127.0.0.11:53 is DNATed there, see redirect.ts).
 * It answers the names of containers from the resolver callback and passes every other query
 * on to upstream servers. Every packet is a container's, so anyone's: bad ones get FORMERR,
 * NOTIMP or nothing, and what a flood can hold (forwards in flight, TCP connections and their
 * buffers) is bounded.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { tcpExchange, udpExchange } from './forward';
import { FrameReader, frame } from './framing';
import {
  CLASSIC_UDP_BYTES,
  RCODE,
  answerReply,
  isTruncated,
  normalizeName,
  parseQuery,
  rcodeOf,
  rcodeReply,
  reverseAddress,
  type Query,
} from './packet';
import { containerForwarders, type Upstream } from './resolv-conf';

export interface DnsResolver {
  /**
   * Whether `clientIp` is a container the server serves. The listeners sit on gateway
   * addresses the host may route to from elsewhere: a packet from anyone else is dropped
   * unread, so the server is nobody's open resolver. Absent: every client is served.
   */
  knows?(clientIp: string): boolean;
  /**
   * The addresses `name` (lower case, no trailing dot) has for the container at `clientIp`
   * (names, aliases and short ids on the networks it shares), in a stable order: the server
   * rotates them. Undefined when the name is not the engine's, so the query goes upstream.
   */
  lookup(clientIp: string, name: string): readonly string[] | undefined;
  /** The name of the container holding `address`, as `clientIp` may see it, for PTR queries. */
  reverse?(clientIp: string, address: string): string | undefined;
  /**
   * Where this client's other queries go: undefined for the engine's upstreams, the
   * container's own `dns` servers when it has some, [] for nowhere (an internal network).
   */
  forwarders?(clientIp: string): readonly string[] | undefined;
}

export interface DnsServerOptions {
  resolver: DnsResolver;
  /** The host's servers (`upstreams()` of resolv-conf.ts); `setUpstreams` changes them. */
  upstreams: readonly Upstream[];
  /** How long one upstream has to answer before the next is asked. */
  timeoutMs?: number;
  /** Queries being forwarded at once; past it a query gets SERVFAIL at once. */
  maxPending?: number;
  maxTcpConnections?: number;
  /** TCP connections one client may hold, so one container cannot take every slot. */
  maxTcpPerClient?: number;
  /** A TCP connection with nothing to say for this long is closed. */
  tcpIdleMs?: number;
  log?: (line: string) => void;
}

/** Pipelined queries one TCP connection may have in flight before its reading pauses. */
const TCP_INFLIGHT = 8;
/** Replies a TCP client has not read yet; a client that never reads is cut off past this. */
const TCP_UNREAD_BYTES = 256 * 1024;
/** Names whose round-robin position is kept; past it the positions start over. */
const MAX_ROTATIONS = 4096;
/** How often `listen` tries a fresh port free for both UDP and TCP. */
const PORT_ATTEMPTS = 20;

interface Listener {
  address: string;
  port: number;
  udp: dgram.Socket;
  tcp: net.Server;
  connections: Set<net.Socket>;
}

type Transport = 'udp' | 'tcp';

export class DnsServer {
  private readonly listeners = new Map<string, Listener>();
  private readonly rotations = new Map<string, number>();
  private upstreamList: readonly Upstream[];
  private pending = 0;
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly maxTcpConnections: number;
  private readonly maxTcpPerClient: number;
  private readonly tcpIdleMs: number;

  constructor(private readonly options: DnsServerOptions) {
    this.upstreamList = options.upstreams;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.maxPending = options.maxPending ?? 256;
    this.maxTcpConnections = options.maxTcpConnections ?? 64;
    this.maxTcpPerClient = options.maxTcpPerClient ?? 8;
    this.tcpIdleMs = options.tcpIdleMs ?? 10_000;
  }

  setUpstreams(upstreams: readonly Upstream[]): void {
    this.upstreamList = upstreams;
  }

  /** Queries now waiting for an upstream. */
  get pendingForwards(): number {
    return this.pending;
  }

  get addresses(): { address: string; port: number }[] {
    return [...this.listeners.values()].map((l) => ({ address: l.address, port: l.port }));
  }

  /**
   * Listens on `address` over UDP and TCP on one port; 0 picks one free for both. Returns the
   * port. Listening again on an address keeps the listener it has.
   */
  async listen(address: string, port = 0): Promise<number> {
    const existing = this.listeners.get(address);
    if (existing) return existing.port;
    let lastError: unknown;
    for (let attempt = 0; attempt < (port === 0 ? PORT_ATTEMPTS : 1); attempt++) {
      const tcp = net.createServer((socket) => this.onConnection(listener, socket));
      const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
      const listener: Listener = { address, port, udp, tcp, connections: new Set() };
      try {
        listener.port = await new Promise<number>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ host: address, port, exclusive: true }, () =>
            resolve((tcp.address() as net.AddressInfo).port),
          );
        });
        await new Promise<void>((resolve, reject) => {
          udp.once('error', reject);
          udp.bind({ address, port: listener.port, exclusive: true }, () => resolve());
        });
      } catch (err) {
        lastError = err;
        tcp.close();
        try {
          udp.close();
        } catch {
          // never bound
        }
        continue;
      }
      tcp.on('error', (err) => this.log(`dns: tcp listener on ${address}: ${err.message}`));
      udp.on('error', (err) => this.log(`dns: udp listener on ${address}: ${err.message}`));
      udp.on('message', (msg, rinfo) => this.onDatagram(listener, msg, rinfo));
      this.listeners.set(address, listener);
      return listener.port;
    }
    throw new Error(`cannot listen for DNS on ${address}:${port}: ${(lastError as Error).message}`);
  }

  async unlisten(address: string): Promise<void> {
    const l = this.listeners.get(address);
    if (!l) return;
    this.listeners.delete(address);
    for (const c of l.connections) c.destroy();
    await Promise.all([
      new Promise<void>((resolve) => l.tcp.close(() => resolve())),
      new Promise<void>((resolve) => l.udp.close(() => resolve())),
    ]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((a) => this.unlisten(a)));
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private onDatagram(l: Listener, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.handle(msg, rinfo.address, 'udp').then(
      (reply) => {
        if (!reply || this.listeners.get(l.address) !== l) return;
        try {
          l.udp.send(reply, rinfo.port, rinfo.address);
        } catch {
          // closed meanwhile
        }
      },
      (err: Error) => this.log(`dns: query from ${rinfo.address}: ${err.message}`),
    );
  }

  private onConnection(l: Listener, socket: net.Socket): void {
    socket.on('error', () => socket.destroy());
    const clientIp = socket.remoteAddress ?? '';
    const fromClient = [...l.connections].filter((c) => c.remoteAddress === clientIp).length;
    if (
      l.connections.size >= this.maxTcpConnections ||
      fromClient >= this.maxTcpPerClient ||
      !this.serves(clientIp)
    ) {
      socket.destroy();
      return;
    }
    l.connections.add(socket);
    // A message begun must end within the idle limit too: one byte now and then would
    // otherwise keep a connection (and its buffer) forever.
    let partial: NodeJS.Timeout | undefined;
    socket.on('close', () => {
      l.connections.delete(socket);
      clearTimeout(partial);
    });
    socket.setTimeout(this.tcpIdleMs, () => socket.destroy());
    const reader = new FrameReader();
    let inflight = 0;
    socket.on('data', (chunk) => {
      for (const msg of reader.push(chunk)) {
        if (msg === null) {
          socket.destroy();
          return;
        }
        inflight++;
        if (inflight >= TCP_INFLIGHT) socket.pause();
        this.handle(msg, clientIp, 'tcp')
          .then(
            (reply) => {
              if (!reply || socket.destroyed) return;
              socket.write(frame(reply));
              if (socket.writableLength > TCP_UNREAD_BYTES) socket.destroy();
            },
            (err: Error) => this.log(`dns: query from ${clientIp}: ${err.message}`),
          )
          .finally(() => {
            inflight--;
            if (inflight < TCP_INFLIGHT && !socket.destroyed) socket.resume();
          });
      }
      if (reader.buffered === 0) {
        clearTimeout(partial);
        partial = undefined;
      } else partial ??= setTimeout(() => socket.destroy(), this.tcpIdleMs);
    });
  }

  /** The reply to one packet, or undefined to drop it. Never throws for what the packet holds. */
  async handle(packet: Buffer, clientIp: string, transport: Transport): Promise<Buffer | undefined> {
    if (!this.serves(clientIp)) return undefined;
    const parsed = parseQuery(packet);
    if (parsed.kind === 'drop') return undefined;
    if (parsed.kind === 'reply') return parsed.reply;
    const query = parsed.query;
    const max = transport === 'udp' ? CLASSIC_UDP_BYTES : 0xffff;
    let local: Buffer | undefined;
    try {
      local = this.answerLocally(query, clientIp, max);
    } catch (err) {
      this.log(
        `dns: resolving ${JSON.stringify(query.question.name)} for ${clientIp}: ${(err as Error).message}`,
      );
      return rcodeReply(query, RCODE.SERVFAIL);
    }
    return local ?? (await this.forward(packet, query, clientIp, transport));
  }

  private serves(clientIp: string): boolean {
    try {
      return this.options.resolver.knows?.(clientIp) ?? true;
    } catch (err) {
      this.log(`dns: checking client ${clientIp}: ${(err as Error).message}`);
      return false;
    }
  }

  private answerLocally(query: Query, clientIp: string, maxBytes: number): Buffer | undefined {
    const { type, class: klass } = query.question;
    if (klass !== undefined && klass !== 'IN') return undefined;
    const name = normalizeName(query.question.name);
    if (type === 'A' || type === 'AAAA') {
      const addresses = this.options.resolver.lookup(clientIp, name);
      if (addresses === undefined) return undefined;
      // A known name without an address of the asked family gets an empty answer (not
      // NXDOMAIN and not the upstreams: the name is the engine's), as docker's resolver does.
      const wanted = addresses.filter((a) => (type === 'A' ? net.isIPv4(a) : net.isIPv6(a)));
      return answerReply(
        query,
        this.rotate(`${type} ${name}`, wanted).map((data) => ({ type, data })),
        maxBytes,
      );
    }
    if (type === 'PTR' && this.options.resolver.reverse) {
      const address = reverseAddress(name);
      const holder = address === undefined ? undefined : this.options.resolver.reverse(clientIp, address);
      if (holder !== undefined) return answerReply(query, [{ type: 'PTR', data: holder }], maxBytes);
    }
    return undefined;
  }

  /** Each answer for a name starts one further along its holders than the last. */
  private rotate(key: string, list: readonly string[]): string[] {
    if (list.length < 2) return [...list];
    if (!this.rotations.has(key) && this.rotations.size >= MAX_ROTATIONS) this.rotations.clear();
    const n = this.rotations.get(key) ?? 0;
    this.rotations.set(key, (n + 1) % list.length);
    const start = n % list.length;
    return [...list.slice(start), ...list.slice(0, start)];
  }

  private targets(clientIp: string): readonly Upstream[] {
    const own = this.options.resolver.forwarders?.(clientIp);
    return own === undefined ? this.upstreamList : containerForwarders(own);
  }

  private async forward(
    packet: Buffer,
    query: Query,
    clientIp: string,
    transport: Transport,
  ): Promise<Buffer> {
    let targets: readonly Upstream[];
    try {
      targets = this.targets(clientIp);
    } catch (err) {
      this.log(`dns: forwarders for ${clientIp}: ${(err as Error).message}`);
      targets = [];
    }
    if (targets.length === 0 || this.pending >= this.maxPending) return rcodeReply(query, RCODE.SERVFAIL);
    this.pending++;
    try {
      let failure: Buffer | undefined;
      for (const upstream of targets) {
        const reply = await this.exchange(upstream, packet, query, transport);
        // A failing or refusing server may be the only one that is wrong (as docker, ask the next).
        const rcode = reply && rcodeOf(reply);
        if (reply && rcode !== RCODE.SERVFAIL && rcode !== RCODE.REFUSED) return reply;
        failure = reply ?? failure;
      }
      return failure ?? rcodeReply(query, RCODE.SERVFAIL);
    } finally {
      this.pending--;
    }
  }

  private async exchange(
    upstream: Upstream,
    packet: Buffer,
    query: Query,
    transport: Transport,
  ): Promise<Buffer | undefined> {
    if (transport === 'tcp') return tcpExchange(upstream, packet, query, this.timeoutMs);
    const reply = await udpExchange(upstream, packet, query, this.timeoutMs);
    if (!reply || !isTruncated(reply)) return reply;
    // The upstream's answer did not fit its datagram: fetch it whole over TCP, and pass it on
    // if it fits the client's datagram; if not, the truncated one tells the client to use TCP.
    const whole = await tcpExchange(upstream, packet, query, this.timeoutMs);
    return whole && whole.length <= query.maxUdpBytes ? whole : reply;
  }
}
