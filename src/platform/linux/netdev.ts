/** Bringing a link up with the SIOCSIFFLAGS ioctl: all a fresh network namespace needs for `lo`. */
import { check, libc } from './lib';

const socketFn = libc.func('int socket(int domain, int type, int protocol)');
const ioctlFn = libc.func('int ioctl(int fd, unsigned long request, void *arg)');
const closeFn = libc.func('int close(int fd)');

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const IFF_UP = 0x1;

export function setLinkUp(name: string): void {
  const fd = check(socketFn(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) as number, 'socket');
  try {
    const ifreq = Buffer.alloc(40); // struct ifreq: 16-byte name, then a union (flags: short)
    ifreq.write(name, 0, 15, 'utf8');
    check(ioctlFn(fd, SIOCGIFFLAGS, ifreq) as number, 'ioctl', `SIOCGIFFLAGS ${name}`);
    ifreq.writeUInt16LE(ifreq.readUInt16LE(16) | IFF_UP, 16);
    check(ioctlFn(fd, SIOCSIFFLAGS, ifreq) as number, 'ioctl', `SIOCSIFFLAGS ${name}`);
  } finally {
    closeFn(fd);
  }
}
