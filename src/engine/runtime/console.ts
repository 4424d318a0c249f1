/**
 * Where a container's init (or an exec helper) sends the master of the pty it made in the
 * container's devpts: a listening unix socket in the abstract namespace, named in the helper's
 * config. A pooled init is spawned before anyone knows it will need a terminal, so the socket
 * cannot be one of its inherited fds. Only the helper's own connection counts (SO_PEERCRED):
 * a host-network container could reach the name too.
 */
import crypto from 'node:crypto';
import { receiveFd } from '../../platform/linux/scm-rights';
import { acceptPending, closeFd, listenAbstract, peerPid } from '../../platform/linux/unix-socket';
import { terminalOf, type Terminal } from './terminal';

export class ConsoleSocket {
  readonly name = `tscompose/console/${process.pid}/${crypto.randomBytes(8).toString('hex')}`;
  private readonly fd = listenAbstract(this.name);
  private closed = false;

  /**
   * The terminal `pid` sent. Called once it has execve()d: it sent the master before that, so
   * the message is already queued and nothing here blocks.
   */
  take(pid: number): Terminal {
    for (let conn = acceptPending(this.fd); conn !== undefined; conn = acceptPending(this.fd)) {
      try {
        if (peerPid(conn) !== pid) continue;
        const master = receiveFd(conn);
        if (master === undefined) break;
        return terminalOf(master);
      } finally {
        closeFd(conn);
      }
    }
    throw new Error('the container process sent no terminal');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeFd(this.fd);
  }
}
