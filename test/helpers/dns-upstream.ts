/**
 * A small DNS server for tests, on loopback (or an address the test's namespace has), over
 * UDP and TCP on one port: it answers from a callback and counts what it was asked, so a test
 * can play an upstream resolver. Also the client side: one query over UDP or TCP.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';

export interface UpstreamStub {
  port: number;
  asked: { transport: 'udp' | 'tcp'; name: string; type: string }[];
  close(): Promise<void>;
}

/** Returns the reply packet (its id and question are filled in), or undefined to stay silent. */
export type StubHandler = (query: DecodedPacket, transport: 'udp' | 'tcp') => Packet | undefined;

export function answerWith(...addresses: string[]): StubHandler {
  return (q) => ({
    answers: addresses.map((data): Answer => ({
      type: 'A',
      name: q.questions?.[0]?.name ?? '',
      ttl: 60,
      class: 'IN',
      data,
    })),
  });
}

function reply(query: DecodedPacket, p: Packet): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    questions: query.questions,
    ...p,
    flags: (p.flags ?? 0) | dnsPacket.RECURSION_AVAILABLE,
  });
}

export async function startUpstream(
  handler: StubHandler,
  address = '127.0.0.1',
  port = 0,
): Promise<UpstreamStub> {
  const asked: UpstreamStub['asked'] = [];
  const note = (q: DecodedPacket, transport: 'udp' | 'tcp'): void => {
    asked.push({ transport, name: q.questions?.[0]?.name ?? '', type: q.questions?.[0]?.type ?? '' });
  };
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        let q: DecodedPacket;
        try {
          q = dnsPacket.decode(msg);
        } catch {
          continue;
        }
        note(q, 'tcp');
        const p = handler(q, 'tcp');
        if (p) {
          const out = reply(q, p);
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          s.write(Buffer.concat([len, out]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen({ host: address, port }, resolve));
  const bound = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    let q: DecodedPacket;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    note(q, 'udp');
    const p = handler(q, 'udp');
    if (p) udp.send(reply(q, p), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind(bound, address, resolve));
  return {
    port: bound,
    asked,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => udp.close(() => resolve())),
      ]);
    },
  };
}

export function queryPacket(
  name: string,
  type: 'A' | 'AAAA' | 'PTR' | 'MX' | 'TXT' = 'A',
  id = 4242,
): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
}

/** Sends one datagram and waits for the first reply, or undefined after `timeoutMs`. */
export function askUdp(
  port: number,
  packet: Buffer,
  timeoutMs = 2000,
  address = '127.0.0.1',
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on('message', (msg) => {
      clearTimeout(timer);
      s.close();
      resolve(msg);
    });
    s.send(packet, port, address);
  });
}

/**
 * Sends raw bytes on a fresh TCP connection and collects the framed replies until `count` came,
 * the server closed the connection, or `timeoutMs` passed.
 */
export function askTcp(
  port: number,
  bytes: Buffer,
  count = 1,
  timeoutMs = 5000,
  address = '127.0.0.1',
): Promise<{ replies: Buffer[]; closed: boolean }> {
  return new Promise((resolve) => {
    const replies: Buffer[] = [];
    let buf = Buffer.alloc(0);
    let closed = false;
    const s = net.connect({ host: address, port });
    const done = (): void => {
      clearTimeout(timer);
      s.destroy();
      resolve({ replies, closed });
    };
    const timer = setTimeout(done, timeoutMs);
    s.on('error', () => undefined);
    s.on('close', () => {
      closed = true;
      done();
    });
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + replies[replies.length - 1].length);
      }
      if (replies.length >= count) done();
    });
    s.write(bytes);
  });
}

export function framed(packet: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(packet.length);
  return Buffer.concat([len, packet]);
}

export function rcodeOf(packet: Buffer): number {
  return packet.readUInt16BE(2) & 0xf;
}
