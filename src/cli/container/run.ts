/**
 * `container run` once its request is built and the engine reached: create, start, and for a
 * foreground run the output while it runs and its exit code. The oclif command and the fast
 * path both end here.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import { createContainer, stdio } from './create';
import type { CreateRequest } from './create-request';
import { pipeChunks } from './pipe-output';
import type { RunFlagValues } from './run-flag-table';
import { startCreated } from './start';
import { unloggedOutput } from './unlogged-output';

/** The exit code: the container's, or 0 once a detached one runs (its id printed). */
export async function runContainer(
  flags: RunFlagValues,
  req: CreateRequest,
  engine: EngineApi,
): Promise<number> {
  if (flags.detach) {
    process.stdout.write(`${await runDetached(engine, req)}\n`);
    return 0;
  }
  if (!flags.tty && !flags.interactive) return runAttached(engine, req);
  // Required here: a run without a session has no use for the terminal code.
  const { runInteractive } = require('./run-interactive') as typeof import('./run-interactive');
  return runInteractive(engine, req, { detachKeys: flags['detach-keys'] });
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
