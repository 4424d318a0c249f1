/** The daemon's writing end of a container's or an exec's stdin (`-i` without a terminal). */
import net from 'node:net';

/** A pipe's or FIFO's writing end as a stream; a reader that is gone (EPIPE) only ends it. */
export function writerOf(fd: number): net.Socket {
  const sock = new net.Socket({ fd, readable: false, writable: true });
  sock.on('error', () => sock.destroy());
  return sock;
}
