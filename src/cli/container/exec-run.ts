/**
 * `container exec` against the engine: the command's output on ours, then its exit code — the
 * engine's 126/127 too when the command could not be run at all. With `-t`, a terminal session
 * on ours (detached by ctrl-p ctrl-q, which leaves the command running).
 */
import type { EngineApi } from '../../engine-api/engine-api';
import type { ExecCreateBody } from '../../engine-api/exec/types';
import { TscomposeError } from '../../common/errors';
import { daemonError, isEngineError } from '../engine-client';
import { pipeChunks } from './pipe-output';
import type { OutputStreams } from './create';
import { prepareSession, runSession, type SessionIo } from './terminal';

const POLL_MS = 20;
const POLLS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The exec's exit code, once the engine has recorded it (just after its output ends). */
async function exitCode(engine: EngineApi, id: string): Promise<number> {
  for (let i = 0; i < POLLS; i += 1) {
    const info = await engine.inspectExec(id);
    if (info.ExitCode !== null && !info.Running) return info.ExitCode;
    await sleep(POLL_MS);
  }
  throw new TscomposeError(`the engine reports no exit code for exec ${id}`, { code: 'EXEC_NO_EXIT' });
}

/** A start the engine refused ends with the exit code the engine recorded for it (126/127). */
async function refused(engine: EngineApi, id: string, err: unknown): Promise<Error> {
  if (!isEngineError(err)) return err as Error;
  const info = await engine.inspectExec(id).catch(() => undefined);
  return daemonError(err, info?.ExitCode ?? 126);
}

/**
 * `exec -d`: the API's startExec always streams, so the output stream is opened, and let go once
 * the engine says the command runs (or has already ended).
 */
async function startDetached(engine: EngineApi, id: string): Promise<void> {
  const release = new AbortController();
  const first = engine.startExec(id, release.signal)[Symbol.asyncIterator]().next();
  first.catch(() => undefined);
  for (let i = 0; i < POLLS; i += 1) {
    const info = await engine.inspectExec(id);
    if (info.Running || info.ExitCode !== null) break;
    await sleep(POLL_MS);
  }
  release.abort();
  await first.catch(async (err: unknown) => {
    throw await refused(engine, id, err);
  });
}

export async function runExec(
  engine: EngineApi,
  container: string,
  body: ExecCreateBody,
  opts: { detach?: boolean; io?: OutputStreams } = {},
): Promise<number> {
  const { Id } = await engine.createExec(container, body);
  if (opts.detach) {
    await startDetached(engine, Id);
    return 0;
  }
  const io = opts.io ?? { out: process.stdout, err: process.stderr };
  try {
    await pipeChunks(engine.startExec(Id), io.out, io.err);
  } catch (err) {
    throw await refused(engine, Id, err);
  }
  return exitCode(engine, Id);
}

/** `exec -t` or `-i`: the command's stdio hijacked, docker's way (stdin too with `-i`). */
export async function runExecInteractive(
  engine: EngineApi,
  container: string,
  body: ExecCreateBody,
  opts: { detachKeys?: string; io?: SessionIo } = {},
): Promise<number> {
  const stdin = body.AttachStdin === true;
  const { io, detachKeys, size } = prepareSession(body.Tty === true, stdin, opts);
  const { Id } = await engine.createExec(container, {
    ...body,
    ConsoleSize: size,
    DetachKeys: opts.detachKeys,
  });
  const attachment = await engine.startExecAttached(Id, { consoleSize: size }).catch(async (err: unknown) => {
    throw await refused(engine, Id, err);
  });
  const end = await runSession({
    attachment,
    stdin,
    detachKeys,
    resize: (h, w) => engine.resizeExec(Id, h, w),
    io,
  });
  return end === 'detached' ? 0 : exitCode(engine, Id);
}
