/**
 * `container attach`: our terminal joined to a running container's, as docker's CLI does it.
 * The exit code is the container's once its output ends; a detach leaves it running and exits 0.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import { TscomposeError } from '../../common/errors';
import { daemonError } from '../engine-client';
import { prepareSession, runSession, type SessionIo } from './terminal';

export async function attachContainer(
  engine: EngineApi,
  ref: string,
  opts: { detachKeys?: string; noStdin?: boolean; io?: SessionIo } = {},
): Promise<number> {
  const info = await engine.inspectContainer(ref).catch((err: unknown) => {
    throw daemonError(err);
  });
  if (!info.State.Running)
    throw new TscomposeError('You cannot attach to a stopped container, start it first', {
      code: 'NOT_RUNNING',
    });
  const stdin = !opts.noStdin && info.Config.OpenStdin === true;
  const { io, detachKeys } = prepareSession(info.Config.Tty === true, stdin, opts);
  const waiting = new AbortController();
  const exited = engine.waitContainer(
    info.Id,
    info.HostConfig.AutoRemove ? 'removed' : 'next-exit',
    waiting.signal,
  );
  exited.catch(() => undefined);
  try {
    const attachment = await engine.attachContainer(info.Id, {
      stream: true,
      stdin,
      stdout: true,
      stderr: true,
      detachKeys: opts.detachKeys,
    });
    const end = await runSession({
      attachment,
      stdin,
      detachKeys,
      resize: (h, w) => engine.resizeContainer(info.Id, h, w),
      io,
    });
    if (end === 'detached') return 0;
    return (await exited).StatusCode;
  } catch (err) {
    throw daemonError(err);
  } finally {
    waiting.abort();
  }
}
