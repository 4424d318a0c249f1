/**
 * `container run` with `-t` or `-i`, as docker's CLI does it: create, attach before the start
 * (so no output is missed), start, then the terminal session; the exit code once it ends. A
 * detach (ctrl-p ctrl-q) leaves the container running and exits 0, printing nothing.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import { daemonError } from '../engine-client';
import { createContainer } from './create';
import { startCreated } from './start';
import type { CreateRequest } from './create-request';
import { prepareSession, runSession, type SessionIo } from './terminal';

/** docker's code for what went wrong before the container ran. */
const ENGINE_REFUSED = 125;

export async function runInteractive(
  engine: EngineApi,
  req: CreateRequest,
  opts: { detachKeys?: string; io?: SessionIo; created?: (id: string) => void } = {},
): Promise<number> {
  const stdin = req.body.OpenStdin === true && req.body.AttachStdin === true;
  const { io, detachKeys, size } = prepareSession(req.body.Tty === true, stdin, opts, ENGINE_REFUSED);
  const hostConfig = { ...req.body.HostConfig, ConsoleSize: size };
  const body = { ...req.body, HostConfig: hostConfig };
  const { Id } = await createContainer(engine, { ...req, body }, { out: io.stdout, err: io.stderr });
  opts.created?.(Id);
  const attachment = await engine
    .attachContainer(Id, { stream: true, stdin, stdout: true, stderr: true, detachKeys: opts.detachKeys })
    .catch((err: unknown) => {
      throw daemonError(err, ENGINE_REFUSED);
    });
  // Asked before the start: an exit (or, with --rm, the removal) cannot slip by unseen.
  const waiting = new AbortController();
  const condition = req.body.HostConfig?.AutoRemove ? 'removed' : 'next-exit';
  const exited = engine.waitContainer(Id, condition, waiting.signal);
  exited.catch(() => undefined);
  try {
    await startCreated(engine, Id);
  } catch (err) {
    attachment.stream.destroy();
    waiting.abort();
    throw err;
  }
  const end = await runSession({
    attachment,
    stdin,
    detachKeys,
    resize: (h, w) => engine.resizeContainer(Id, h, w),
    io,
  });
  if (end === 'detached') {
    waiting.abort();
    return 0;
  }
  return (await exited).StatusCode;
}
