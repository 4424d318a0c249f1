/** The execs of the Engine API: a process started in a running container, as docker's `exec`. */
import type { Attachment, ExecStartOptions } from '../attachment';
import type { OutputChunk } from '../output';
import type { ExecCreateBody, ExecInspect } from './types';

export interface ExecApi {
  createExec(id: string, body: ExecCreateBody): Promise<{ Id: string }>;
  /** The exec's output until it exits; then inspectExec has its exit code. */
  startExec(execId: string, signal?: AbortSignal): AsyncIterable<OutputChunk>;
  inspectExec(execId: string): Promise<ExecInspect>;
  /** Starts the exec with its stdio as one stream (a hijacked start; with a terminal when created with Tty). */
  startExecAttached(execId: string, opts?: ExecStartOptions): Promise<Attachment>;
  /** The size of an exec's terminal (rows, columns); nothing for one without. */
  resizeExec(execId: string, height: number, width: number): Promise<void>;
}
