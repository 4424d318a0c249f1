/**
 * What attaching to a container or starting an exec interactively gives: one duplex stream, as
 * a hijacked connection is to docker's clients. The in-process engine and the HTTP client both
 * hand out the same shape, so the CLI never knows which side of the socket it is on.
 */
import type { Duplex } from 'node:stream';

export interface Attachment {
  /**
   * True when the process has a pseudo-terminal: the readable side is then its raw output (one
   * stream); otherwise docker's multiplexed stdout/stderr frames (frames.ts).
   */
  readonly tty: boolean;
  /**
   * Readable: the output, ending when the process's output ends (or on a detach). Writable: its
   * stdin; ending it closes the container's stdin where docker would (StdinOnce). Destroying
   * it detaches and leaves the process running.
   */
  readonly stream: Duplex;
}

/** POST /containers/{id}/attach query, parsed. */
export interface AttachOptions {
  /** Wait for output (and for the start of a container that is not running yet). */
  stream?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Docker's detach keys for this attach; the daemon's default (ctrl-p,ctrl-q) otherwise. */
  detachKeys?: string;
}

/** POST /exec/{id}/start body fields beyond Detach and Tty. */
export interface ExecStartOptions {
  /** [height, width] of the exec's terminal from its first moment (API 1.42). */
  consoleSize?: [number, number];
}
