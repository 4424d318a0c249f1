/**
 * Passing one descriptor over a unix socket (SCM_RIGHTS) with sendmsg/recvmsg. The msghdr, its
 * iovec and the cmsghdr hold pointers to each other, so they are laid out by hand in one block
 * of C memory whose address is known (x86-64 / aarch64 LP64 layouts).
 */
import { check, errno, koffi, libc } from './lib';

const mallocFn = libc.func('void *malloc(size_t size)');
const freeFn = libc.func('void free(void *ptr)');
const sendmsgFn = libc.func('long sendmsg(int fd, void *msg, int flags)');
const recvmsgFn = libc.func('long recvmsg(int fd, void *msg, int flags)');

const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const MSG_CTRUNC = 0x8;
const MSG_CMSG_CLOEXEC = 0x40000000;
const EAGAIN = 11;

// struct msghdr (56 bytes): name, namelen (+pad), iov, iovlen, control, controllen, flags (+pad)
const MSG_IOV = 16;
const MSG_IOVLEN = 24;
const MSG_CONTROL = 32;
const MSG_CONTROLLEN = 40;
const MSG_FLAGS = 48;
// then one struct iovec (base, len), the one payload byte, and the control buffer
const IOV = 64;
const DATA = 80;
const CONTROL = 88;
/** CMSG_SPACE(sizeof(int)): a 16-byte cmsghdr (len, level, type) and the fd, padded to 8. */
const CONTROL_LEN = 24;
const CMSG_LEN_ONE_FD = 20;
const BLOCK = CONTROL + CONTROL_LEN;

/** Runs `fn` with a zeroed message block whose internal pointers are set; frees it after. */
function withMessage<T>(fn: (msg: unknown, view: Buffer) => T): T {
  const msg = mallocFn(BLOCK) as unknown;
  if (!msg) throw new Error('malloc failed');
  try {
    const base = koffi.address(msg);
    const view = Buffer.from(koffi.view(msg, BLOCK));
    view.fill(0);
    view.writeBigUInt64LE(base + BigInt(IOV), MSG_IOV);
    view.writeBigUInt64LE(1n, MSG_IOVLEN);
    view.writeBigUInt64LE(base + BigInt(CONTROL), MSG_CONTROL);
    view.writeBigUInt64LE(BigInt(CONTROL_LEN), MSG_CONTROLLEN);
    view.writeBigUInt64LE(base + BigInt(DATA), IOV);
    view.writeBigUInt64LE(1n, IOV + 8);
    return fn(msg, view);
  } finally {
    freeFn(msg);
  }
}

/** Sends `fd` (with one byte, as a stream socket needs data to carry control messages). */
export function sendFd(sock: number, fd: number): void {
  withMessage((msg, view) => {
    view[DATA] = 0x21;
    view.writeBigUInt64LE(BigInt(CMSG_LEN_ONE_FD), CONTROL);
    view.writeInt32LE(SOL_SOCKET, CONTROL + 8);
    view.writeInt32LE(SCM_RIGHTS, CONTROL + 12);
    view.writeInt32LE(fd, CONTROL + 16);
    check(sendmsgFn(sock, msg, MSG_NOSIGNAL) as number, 'sendmsg', 'SCM_RIGHTS');
  });
}

/**
 * The descriptor a peer sent, close-on-exec; undefined when nothing is waiting (the call never
 * blocks) or the message carried none.
 */
export function receiveFd(sock: number): number | undefined {
  return withMessage((msg, view) => {
    const n = Number(recvmsgFn(sock, msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
    if (n < 0 && errno() === EAGAIN) return undefined;
    check(n, 'recvmsg', 'SCM_RIGHTS');
    if (view.readInt32LE(MSG_FLAGS) & MSG_CTRUNC) throw new Error('recvmsg: control message truncated');
    const controlLen = Number(view.readBigUInt64LE(MSG_CONTROLLEN));
    if (controlLen < CMSG_LEN_ONE_FD) return undefined;
    const level = view.readInt32LE(CONTROL + 8);
    const type = view.readInt32LE(CONTROL + 12);
    if (level !== SOL_SOCKET || type !== SCM_RIGHTS) return undefined;
    return view.readInt32LE(CONTROL + 16);
  });
}
