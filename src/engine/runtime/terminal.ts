/**
 * The daemon's end of a container's (or an exec's) pseudo-terminal: the master, received from
 * the container side, read and written through libuv's tty handle. A pty has one stream: what
 * the process writes to stdout and stderr both comes out here.
 */
import tty from 'node:tty';
import { setWindowSize } from '../../platform/linux/pty';

export interface Terminal {
  /**
   * Output comes out, input goes in. It closes once no process holds the slave any more (the
   * master then reads EIO, which is that end and not an error).
   */
  readonly stream: tty.ReadStream;
  /** TIOCSWINSZ: the foreground process group gets SIGWINCH. */
  resize(height: number, width: number): void;
}

export function terminalOf(master: number): Terminal {
  const stream = new tty.ReadStream(master);
  // EIO is the normal end; a write after it (EIO, EPIPE) has nowhere to go either.
  stream.on('error', () => undefined);
  return {
    stream,
    resize: (height, width) => {
      if (!stream.destroyed) setWindowSize(master, height, width);
    },
  };
}
