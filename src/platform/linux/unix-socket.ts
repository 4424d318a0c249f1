/**
 * Unix stream sockets in the abstract namespace, through libc: what the daemon listens on and a
 * container-side helper connects to before it leaves the host's network namespace (abstract
 * names belong to a network namespace; they need no file and no path-length budget). Node's
 * `net` cannot hand out the descriptors SCM_RIGHTS needs, hence the raw calls.
 */
import { check, errno, libc } from './lib';

const socketFn = libc.func('int socket(int domain, int type, int protocol)');
const bindFn = libc.func('int bind(int fd, const void *addr, uint32_t len)');
const listenFn = libc.func('int listen(int fd, int backlog)');
const connectFn = libc.func('int connect(int fd, const void *addr, uint32_t len)');
const accept4Fn = libc.func('int accept4(int fd, void *addr, void *len, int flags)');
const getsockoptFn = libc.func(
  'int getsockopt(int fd, int level, int name, _Out_ void *val, _Inout_ uint32_t *len)',
);
const closeFn = libc.func('int close(int fd)');

const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const EAGAIN = 11;
/** sizeof(sa_family_t) + sizeof(sun_path) */
const SUN_PATH_MAX = 108;

/** struct sockaddr_un for an abstract name: a NUL, then the name, its length given by addrlen. */
function abstractAddress(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length + 1 > SUN_PATH_MAX) throw new Error(`abstract socket name too long: ${name}`);
  const addr = Buffer.alloc(2 + 1 + bytes.length);
  addr.writeUInt16LE(AF_UNIX, 0);
  bytes.copy(addr, 3);
  return addr;
}

function newSocket(flags: number): number {
  return check(socketFn(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0) as number, 'socket', 'AF_UNIX');
}

/** A non-blocking listener on `@name`. */
export function listenAbstract(name: string, backlog = 4): number {
  const fd = newSocket(SOCK_NONBLOCK);
  try {
    const addr = abstractAddress(name);
    check(bindFn(fd, addr, addr.length) as number, 'bind', `@${name}`);
    check(listenFn(fd, backlog) as number, 'listen', `@${name}`);
    return fd;
  } catch (err) {
    closeFn(fd);
    throw err;
  }
}

/** A blocking connection to `@name` (a unix connect completes at once or fails). */
export function connectAbstract(name: string): number {
  const fd = newSocket(0);
  try {
    const addr = abstractAddress(name);
    check(connectFn(fd, addr, addr.length) as number, 'connect', `@${name}`);
    return fd;
  } catch (err) {
    closeFn(fd);
    throw err;
  }
}

/** The next pending connection, non-blocking and close-on-exec; undefined when none waits. */
export function acceptPending(fd: number): number | undefined {
  const r = accept4Fn(fd, null, null, SOCK_CLOEXEC | SOCK_NONBLOCK) as number;
  if (r >= 0) return r;
  if (errno() === EAGAIN) return undefined;
  return check(r, 'accept4');
}

/** The pid (in our pid namespace) of the process that connected `fd`'s peer end. */
export function peerPid(fd: number): number {
  const cred = Buffer.alloc(12); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
  const len = [cred.length];
  check(getsockoptFn(fd, SOL_SOCKET, SO_PEERCRED, cred, len) as number, 'getsockopt', 'SO_PEERCRED');
  return cred.readInt32LE(0);
}

export function closeFd(fd: number): void {
  closeFn(fd);
}
