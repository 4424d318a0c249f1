/** ExecApi over HTTP: `/containers/{id}/exec` and `/exec/...`. */
import type { Attachment, ExecStartOptions } from '../attachment';
import type { OutputChunk } from '../output';
import { enc, sizeQuery, type Transport } from '../transport';
import type { ExecApi } from './api';
import type { ExecCreateBody, ExecInspect } from './types';

export function execClient(t: Transport): ExecApi {
  return {
    createExec(id: string, body: ExecCreateBody): Promise<{ Id: string }> {
      return t.call('POST', `/containers/${enc(id)}/exec`, { body });
    },

    startExec(execId: string, signal?: AbortSignal): AsyncIterable<OutputChunk> {
      return t.frames('POST', `/exec/${enc(execId)}/start`, { body: { Detach: false, Tty: false }, signal });
    },

    inspectExec(execId: string): Promise<ExecInspect> {
      return t.call('GET', `/exec/${enc(execId)}/json`);
    },

    startExecAttached(execId: string, opts: ExecStartOptions = {}): Promise<Attachment> {
      return t.hijack(`/exec/${enc(execId)}/start`, { Detach: false, ConsoleSize: opts.consoleSize });
    },

    resizeExec(execId: string, height: number, width: number): Promise<void> {
      return t.call('POST', `/exec/${enc(execId)}/resize`, { query: sizeQuery(height, width) });
    },
  };
}
