/**
 * `container create` and `container run` against the engine: create (pulling a missing image
 * first, as docker does), start, and for a foreground run the output while it runs and its exit
 * code.
 */
import type { EngineApi } from '../engine-api/engine-api';
import { NotFoundError, TscomposeError } from '../common/errors';
import type { ContainerCreateResponse } from '../engine-api/container/types';
import { familiarName, parseReference } from '../common/image-reference';
import { parseUntilOperand } from './argv-split';
import { daemonError, engineFlags, openEngine } from './engine-client';
import { pipeChunks } from './output';
import type { createFlags, runFlags, RunFlagValues } from './run-flag-defs';
import { buildCreateRequest, type CreateRequest } from './run-flags';
import { requireOperands } from './usage';
import { unloggedOutput } from './unlogged-output';

export interface RunIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const stdio = (): RunIo => ({ out: process.stdout, err: process.stderr });

/** Everything the engine refuses while creating or starting: docker's exit code 125. */
const ENGINE_REFUSED = 125;

export async function createContainer(
  engine: EngineApi,
  req: CreateRequest,
  io = stdio(),
): Promise<ContainerCreateResponse> {
  const create = async (): Promise<ContainerCreateResponse> => {
    const created = await engine.createContainer(req.body, req.name);
    for (const w of created.Warnings ?? []) io.err.write(`WARNING: ${w}\n`);
    return created;
  };
  try {
    return await create();
  } catch (err) {
    if (!(err instanceof NotFoundError && /no such image/i.test(err.message))) {
      throw daemonError(err, ENGINE_REFUSED);
    }
  }
  // As docker: say so, pull it (progress on stderr, so stdout stays the container's), create again.
  io.err.write(`Unable to find image '${familiarName(parseReference(req.body.Image))}' locally\n`);
  try {
    await pullMissing(engine, req.body.Image, io);
    return await create();
  } catch (err) {
    throw daemonError(err, ENGINE_REFUSED);
  }
}

/** Loaded only when an image is missing: the fast path of a run never needs them. */
async function pullMissing(engine: EngineApi, image: string, io: RunIo): Promise<void> {
  const { authHeaderFor } = require('./registry-auth') as typeof import('./registry-auth');
  const { progressRenderer } = require('./render-progress') as typeof import('./render-progress');
  await engine.pullImage(
    image,
    { auth: authHeaderFor(image) },
    progressRenderer(io.err as NodeJS.WriteStream),
  );
}

/** docker's: 127 when the command is not there, 126 when it cannot be run, else 125. */
export function startFailureExitCode(message: string): number {
  if (/executable file not found|no such file or directory/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return ENGINE_REFUSED;
}

export async function startCreated(engine: EngineApi, id: string): Promise<void> {
  try {
    await engine.startContainer(id);
  } catch (err) {
    throw daemonError(err, startFailureExitCode((err as Error)?.message ?? ''));
  }
}

/** `run -d`: the container's full id, once it runs. */
export async function runDetached(engine: EngineApi, req: CreateRequest, io = stdio()): Promise<string> {
  const { Id } = await createContainer(engine, req, io);
  await startCreated(engine, Id);
  return Id;
}

/**
 * A foreground run: the container's output on ours, then its exit code. Its output comes from
 * its log, read after it started; with --rm the engine would remove a container that exits at
 * once — log and all — before that read, so here the CLI removes it itself once it is read, as
 * docker's CLI did before the daemon could.
 */
export async function runAttached(engine: EngineApi, req: CreateRequest, io = stdio()): Promise<number> {
  const autoRemove = req.body.HostConfig?.AutoRemove === true;
  const body = autoRemove
    ? { ...req.body, HostConfig: { ...req.body.HostConfig, AutoRemove: false } }
    : req.body;
  const { Id } = await createContainer(engine, { ...req, body }, io);
  try {
    const unlogged = await unloggedOutput(engine, Id);
    await startCreated(engine, Id);
    const output = unlogged ?? engine.containerLogs(Id, { follow: true, stdout: true, stderr: true });
    await pipeChunks(output, io.out, io.err);
    const result = await engine.waitContainer(Id, 'not-running');
    return result.StatusCode;
  } finally {
    if (autoRemove) await engine.removeContainer(Id, { force: true, volumes: true }).catch(() => undefined);
  }
}

/** What `create` and `run` do before they differ: their argv read as docker's, the engine reached. */
export async function prepareCreate(
  command: string,
  argv: string[],
  defs: typeof createFlags | typeof runFlags,
): Promise<{ flags: RunFlagValues & { host?: string }; req: CreateRequest; engine: EngineApi }> {
  const { flags, operands } = await parseUntilOperand(argv, { ...engineFlags, ...defs });
  return { flags, ...(await requestAndEngine(command, flags, operands)) };
}

/** The second half of prepareCreate, where the fast path (fast/) joins with flags it read itself. */
export async function requestAndEngine(
  command: string,
  flags: RunFlagValues & { host?: string },
  operands: string[],
): Promise<{ req: CreateRequest; engine: EngineApi }> {
  requireOperands(command, operands, 1);
  const req = buildCreateRequest(flags, operands);
  // docker refuses before it talks to its daemon: nothing is started or created for this
  if (command === 'container run' && req.body.Tty && req.body.OpenStdin && !process.stdin.isTTY) {
    throw new TscomposeError('the input device is not a TTY', { code: 'NOT_A_TTY' });
  }
  const engine = await openEngine(flags).catch((err: unknown) => {
    throw daemonError(err, ENGINE_REFUSED);
  });
  return { req, engine };
}
