/**
 * One query sent on to one upstream server and its answer, over UDP or TCP, within a time
 * limit. Each exchange has a socket of its own (a fresh source port beside a random id: an
 * off-path attacker must guess both) connected to the server, so the kernel drops datagrams
 * from anyone else.
 */
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { FrameReader, frame } from './framing';
import { answersQuery, packetId, withId, type Query } from './packet';
import type { Upstream } from './resolv-conf';

function family(address: string): 'udp4' | 'udp6' {
  return net.isIPv6(address.split('%', 1)[0]) ? 'udp6' : 'udp4';
}

/** The upstream's answer with the client's id back in it, or undefined on timeout, error or junk. */
export function udpExchange(
  upstream: Upstream,
  packet: Buffer,
  query: Query,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const id = randomInt(0x10000);
    const socket = dgram.createSocket(family(upstream.address));
    let done = false;
    const finish = (reply: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(reply === undefined ? undefined : withId(reply, query.id));
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('error', () => finish(undefined));
    socket.on('message', (msg) => {
      // A stray or forged datagram is ignored; the real answer may still come.
      if (packetId(msg) === id && answersQuery(msg, query)) finish(msg);
    });
    // A connect that fails (no route to the upstream) calls back with the error and emits no
    // 'error': a send then would throw on the unconnected socket, out of reach, and end the daemon.
    socket.connect(upstream.port, upstream.address, (...failed: unknown[]) => {
      if (done) return;
      if (failed[0]) return finish(undefined);
      socket.send(withId(packet, id), (err) => {
        if (err) finish(undefined);
      });
    });
  });
}

export function tcpExchange(
  upstream: Upstream,
  packet: Buffer,
  query: Query,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const id = randomInt(0x10000);
    const reader = new FrameReader();
    let done = false;
    const socket = net.connect({ host: upstream.address, port: upstream.port });
    const finish = (reply: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply === undefined ? undefined : withId(reply, query.id));
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => socket.write(frame(withId(packet, id))));
    socket.on('data', (chunk) => {
      for (const msg of reader.push(chunk)) {
        if (msg === null) return finish(undefined);
        if (packetId(msg) === id && answersQuery(msg, query)) return finish(msg);
      }
    });
  });
}
