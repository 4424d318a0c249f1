/**
 * `container create` against the engine (pulling a missing image first, as docker does), and
 * what `create` and `run` share before that: their argv read as docker's, the engine reached.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import { NotFoundError, TscomposeError } from '../../common/errors';
import type { ContainerCreateResponse } from '../../engine-api/container/types';
import { familiarName, parseReference } from '../../common/image-reference';
import { daemonError, openEngine } from '../engine-client';
import type { RunFlagValues } from './run-flag-table';
import { buildCreateRequest, type CreateRequest } from './create-request';
import { requireOperands } from '../flags/usage';

/** Where a container's (or an exec's) output and our warnings go. */
export interface OutputStreams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export const stdio = (): OutputStreams => ({ out: process.stdout, err: process.stderr });

/** Everything the engine refuses while creating or starting: docker's exit code 125. */
export const ENGINE_REFUSED = 125;

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
async function pullMissing(engine: EngineApi, image: string, io: OutputStreams): Promise<void> {
  const { authHeaderFor } =
    require('../registry/registry-auth') as typeof import('../registry/registry-auth');
  const { progressRenderer } =
    require('../format/render-progress') as typeof import('../format/render-progress');
  await engine.pullImage(
    image,
    { auth: authHeaderFor(image) },
    progressRenderer(io.err as NodeJS.WriteStream),
  );
}

/** What `create` and `run` do before they differ: the request built from the argv, the engine reached. */
export async function createRequestAndEngine(
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
