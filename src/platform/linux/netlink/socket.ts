/**
 * A netlink socket (NETLINK_ROUTE, or NETLINK_NETFILTER) through koffi: one request, its acknowledgement or its dump, blocking
 * (the kernel answers at once). A socket belongs to the network namespace of the thread that
 * opened it, for its whole life: open it inside the namespace you mean to change.
 */
import { check, libc, SyscallError } from '../lib';
import {
  message,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
  splitMessages,
} from './message';
import type { Attr } from './message';

const socketFn = libc.func('int socket(int domain, int type, int protocol)');
const sendtoFn = libc.func(
  'long sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)',
);
const recvFn = libc.func('long recv(int fd, _Out_ void *buf, size_t len, int flags)');
const closeFn = libc.func('int close(int fd)');

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_ROUTE = 0;
export const NETLINK_NETFILTER = 12;
/** Big enough for any one datagram of a dump (the kernel sizes them to the page, at most 32 KiB). */
const RECV_BYTES = 65536;

/** What a request was, for the error's text: `RTM_NEWLINK tsc1a2b3c-0`. */
export type What = string;

export class NetlinkSocket {
  private readonly fd: number;
  private seq = Math.floor(Math.random() * 0x7fffffff);
  private closed = false;

  /** `protocol`: NETLINK_ROUTE, or NETLINK_NETFILTER for conntrack. */
  constructor(protocol = NETLINK_ROUTE) {
    this.fd = check(
      socketFn(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol) as number,
      'socket',
      'AF_NETLINK',
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFn(this.fd);
  }

  private send(type: number, flags: number, body: Buffer, attrs: Attr[], what: What): number {
    const seq = ++this.seq;
    const msg = message(type, flags | NLM_F_REQUEST, seq, body, attrs);
    const addr = Buffer.alloc(12); // struct sockaddr_nl: the kernel (pid 0)
    addr.writeUInt16LE(AF_NETLINK, 0);
    check(sendtoFn(this.fd, msg, msg.length, 0, addr, addr.length) as number, 'netlink send', what);
    return seq;
  }

  private receive(what: What): Buffer {
    const buf = Buffer.alloc(RECV_BYTES);
    const n = check(recvFn(this.fd, buf, buf.length, 0) as number, 'netlink recv', what);
    return buf.subarray(0, n);
  }

  /** A change, acknowledged; the kernel's refusal as a SyscallError with its errno. */
  request(type: number, flags: number, body: Buffer, attrs: Attr[], what: What): void {
    const seq = this.send(type, flags | NLM_F_ACK, body, attrs, what);
    for (;;) {
      for (const m of splitMessages(this.receive(what))) {
        if (m.seq !== seq || m.type !== NLMSG_ERROR) continue;
        const err = m.payload.readInt32LE(0);
        if (err === 0) return;
        throw new SyscallError('netlink', -err, what);
      }
    }
  }

  /**
   * Every message of a dump, as payloads (after the header). `answer`: the type of the
   * messages it answers with (rtnetlink's RTM_NEW* for RTM_GET*, by default).
   */
  dump(type: number, body: Buffer, what: What, answer = type - 2): Buffer[] {
    const seq = this.send(type, NLM_F_DUMP, body, [], what);
    const out: Buffer[] = [];
    for (;;) {
      for (const m of splitMessages(this.receive(what))) {
        if (m.seq !== seq) continue;
        if (m.type === NLMSG_DONE) return out;
        if (m.type === NLMSG_ERROR) {
          const err = m.payload.readInt32LE(0);
          if (err !== 0) throw new SyscallError('netlink', -err, what);
          return out;
        }
        if (m.type === answer || m.type === type) out.push(Buffer.from(m.payload));
      }
    }
  }
}

/** Runs `fn` with a socket of the caller's network namespace, closed after. */
export function withNetlink<T>(fn: (s: NetlinkSocket) => T, protocol = NETLINK_ROUTE): T {
  const s = new NetlinkSocket(protocol);
  try {
    return fn(s);
  } finally {
    s.close();
  }
}
