/**
 * The container side of `-t`, shared by the init and the exec helper: a pty made in the
 * container's own devpts (so `tty` names /dev/pts/N there), its master sent to the daemon, its
 * slave our stdin, stdout, stderr and controlling terminal for the command execve() starts.
 */
import fs from 'node:fs';
import { MS_BIND, mount } from '../../../platform/linux/mount';
import { dup2, setsid } from '../../../platform/linux/process';
import { openPty, setControllingTerminal, setWindowSize } from '../../../platform/linux/pty';
import { sendFd } from '../../../platform/linux/scm-rights';
import { closeFd, connectAbstract } from '../../../platform/linux/unix-socket';
import type { SyscallError } from '../../../platform/linux/lib';

const TTY_GID = 5;

/** Called while still in the host's network namespace, where the daemon's socket is. */
export function connectConsole(name: string): number {
  return connectAbstract(name);
}

export interface ConsoleOptions {
  size?: { height: number; width: number };
  /** The process's user owns its terminal, as under docker (a program may reopen it). */
  uid: number;
  /** Bind the slave over /dev/console (the container's init, as runc does; not an exec). */
  bindConsole: boolean;
}

/** Runs after pivot_root (or setns into the container's mount namespace): /dev/pts is the container's. */
export function takeConsole(sock: number, opts: ConsoleOptions): void {
  const pty = openPty('/dev/pts');
  try {
    if (opts.size) setWindowSize(pty.master, opts.size.height, opts.size.width);
    fs.fchownSync(pty.slave, opts.uid, TTY_GID);
    if (opts.bindConsole) bindConsole(pty.slavePath);
    sendFd(sock, pty.master);
  } finally {
    // Only the daemon may hold the master: the session's end is EIO there once the slave closes.
    fs.closeSync(pty.master);
    closeFd(sock);
  }
  for (let fd = 0; fd <= 2; fd++) dup2(pty.slave, fd);
  fs.closeSync(pty.slave);
  try {
    setsid();
  } catch (err) {
    // Spawned detached, the helper leads its own session already.
    if ((err as SyscallError).code !== 'EPERM') throw err;
  }
  setControllingTerminal(0);
}

function bindConsole(slavePath: string): void {
  fs.closeSync(fs.openSync('/dev/console', 'a', 0o600));
  mount(slavePath, '/dev/console', null, MS_BIND);
}
