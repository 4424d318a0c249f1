/**
 * What a container init or exec helper does to its own process before execve: credentials,
 * capabilities, prctl flags, resource limits, signal dispositions, descriptors, host name.
 * Credential calls are raw syscalls on purpose: glibc's wrappers broadcast them to every thread,
 * and the other threads of a Node process die at execve anyway.
 */
import { check, koffi, libc } from './lib';

const syscallFn = libc.func('long syscall(long number, ...)');
const prctlFn = libc.func(
  'int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)',
);
const sethostnameFn = libc.func('int sethostname(const char *name, size_t len)');
const setdomainnameFn = libc.func('int setdomainname(const char *name, size_t len)');
const setrlimitFn = libc.func('int setrlimit(int resource, const void *rlim)');
const signalFn = libc.func('void *signal(int sig, void *handler)');
const sigprocmaskFn = libc.func('int sigprocmask(int how, const void *set, void *oldset)');
const fcntlFn = libc.func('int fcntl(int fd, int cmd, long arg)');
const closeRangeFn = libc.func('int close_range(unsigned int first, unsigned int last, int flags)');
const execveFn = libc.func('int execve(const char *path, const char **argv, const char **envp)');
const pipe2Fn = libc.func('int pipe2(_Out_ int *fds, int flags)');
const chdirFn = libc.func('int chdir(const char *path)');
const dup2Fn = libc.func('int dup2(int oldfd, int newfd)');
const setsidFn = libc.func('int setsid(void)');
const killFn = libc.func('int kill(int pid, int sig)');

const SYS_setgroups = 116;
const SYS_setresuid = 117;
const SYS_setresgid = 119;
const SYS_capset = 126;

export const PR_SET_PDEATHSIG = 1;
export const PR_SET_KEEPCAPS = 8;
export const PR_CAPBSET_DROP = 24;
export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_CAP_AMBIENT = 47;
export const PR_CAP_AMBIENT_CLEAR_ALL = 4;

export const O_CLOEXEC = 0o2000000;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;
const CLOSE_RANGE_CLOEXEC = 4;
const SIG_SETMASK = 2;

export function prctl(option: number, a2 = 0, a3 = 0, a4 = 0, a5 = 0): number {
  return check(prctlFn(option, a2, a3, a4, a5) as number, 'prctl', String(option));
}

export function setgroups(gids: readonly number[]): void {
  const list = Buffer.alloc(Math.max(4, gids.length * 4));
  gids.forEach((g, i) => list.writeUInt32LE(g, i * 4));
  check(syscallFn(SYS_setgroups, 'long', gids.length, 'void *', list) as number, 'setgroups');
}

export function setresgid(gid: number): void {
  check(syscallFn(SYS_setresgid, 'long', gid, 'long', gid, 'long', gid) as number, 'setresgid', String(gid));
}

export function setresuid(uid: number): void {
  check(syscallFn(SYS_setresuid, 'long', uid, 'long', uid, 'long', uid) as number, 'setresuid', String(uid));
}

/** capset v3: two 32-bit words for each of effective, permitted and inheritable. */
export function capset(effective: bigint, permitted: bigint, inheritable: bigint): void {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x20080522, 0); // _LINUX_CAPABILITY_VERSION_3
  const data = Buffer.alloc(24);
  for (let word = 0; word < 2; word++) {
    const shift = BigInt(word * 32);
    const low = (m: bigint): number => Number((m >> shift) & 0xffffffffn);
    data.writeUInt32LE(low(effective), word * 12);
    data.writeUInt32LE(low(permitted), word * 12 + 4);
    data.writeUInt32LE(low(inheritable), word * 12 + 8);
  }
  check(syscallFn(SYS_capset, 'void *', header, 'void *', data) as number, 'capset');
}

export function sethostname(name: string): void {
  check(sethostnameFn(name, Buffer.byteLength(name)) as number, 'sethostname', name);
}

export function setdomainname(name: string): void {
  check(setdomainnameFn(name, Buffer.byteLength(name)) as number, 'setdomainname', name);
}

export const RLIMITS: Record<string, number> = {
  cpu: 0,
  fsize: 1,
  data: 2,
  stack: 3,
  core: 4,
  rss: 5,
  nproc: 6,
  nofile: 7,
  memlock: 8,
  as: 9,
  locks: 10,
  sigpending: 11,
  msgqueue: 12,
  nice: 13,
  rtprio: 14,
  rttime: 15,
};

/** -1 = unlimited. */
export function setrlimit(name: string, soft: number, hard: number): void {
  const resource = RLIMITS[name];
  if (resource === undefined) throw new Error(`unknown rlimit ${name}`);
  const rlim = Buffer.alloc(16);
  const val = (n: number): bigint => (n < 0 ? 0xffffffffffffffffn : BigInt(n));
  rlim.writeBigUInt64LE(val(soft), 0);
  rlim.writeBigUInt64LE(val(hard), 8);
  check(setrlimitFn(resource, rlim) as number, 'setrlimit', name);
}

/** Every signal back to its default action and none blocked: Node ignores SIGPIPE and SIGXFSZ. */
export function resetSignals(): void {
  for (let sig = 1; sig <= 64; sig++) {
    if (sig === 9 || sig === 19 || sig === 32 || sig === 33) continue; // KILL, STOP, glibc's own
    signalFn(sig, null);
  }
  check(sigprocmaskFn(SIG_SETMASK, Buffer.alloc(128), null) as number, 'sigprocmask');
}

/** fds 0–2 inherited across execve and blocking (Node marks them close-on-exec); every other fd closed at exec. */
export function prepareStdioForExec(): void {
  for (let fd = 0; fd <= 2; fd++) {
    check(fcntlFn(fd, F_SETFD, 0) as number, 'fcntl', `F_SETFD ${fd}`);
    const fl = check(fcntlFn(fd, F_GETFL, 0) as number, 'fcntl', `F_GETFL ${fd}`);
    check(fcntlFn(fd, F_SETFL, fl & ~O_NONBLOCK) as number, 'fcntl', `F_SETFL ${fd}`);
  }
  check(closeRangeFn(3, 0xffffffff, CLOSE_RANGE_CLOEXEC) as number, 'close_range');
}

/** Only returns by throwing. */
export function execve(file: string, argv: readonly string[], env: readonly string[]): never {
  check(execveFn(file, [...argv, null], [...env, null]) as number, 'execve', file);
  throw new Error('execve returned');
}

export function pipe2(flags = O_CLOEXEC): [read: number, write: number] {
  const fds = [0, 0];
  check(pipe2Fn(fds, flags) as number, 'pipe2');
  return [fds[0], fds[1]];
}

export function chdir(dir: string): void {
  check(chdirFn(dir) as number, 'chdir', dir);
}

export function setsid(): void {
  check(setsidFn() as number, 'setsid');
}

/** kill(2) that reports ESRCH as false instead of throwing. */
export function sendSignal(pid: number, sig: number): boolean {
  const r = killFn(pid, sig) as number;
  if (r === 0) return true;
  if (koffi.errno() === 3) return false;
  check(r, 'kill', `${pid} ${sig}`);
  return false;
}

export function dup2(oldFd: number, newFd: number): void {
  check(dup2Fn(oldFd, newFd) as number, 'dup2', `${oldFd} ${newFd}`);
}
