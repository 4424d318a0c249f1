/**
 * The attached part of a foreground `up` (docker compose's log printer, `pkg/compose/printer.go`):
 * every attached container's output handed to a consumer until the container exits for good
 * (one its restart policy brings back is followed again), an exit reported, and on the first
 * exit (--abort-on-container-exit, --exit-code-from) or the first failed one
 * (--abort-on-container-failure) the project stopped. It returns once no attached container is
 * left, with docker compose's exit code: the --exit-code-from service's, else under an abort
 * the code of the service whose exit aborted, else 0.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerInspect } from '../engine-api/container/types';
import { streamLogs, type LogConsumer, type LogSource } from './logs';

/** docker compose's api.Cascade. */
export type Cascade = 'ignore' | 'stop' | 'fail';

export interface AttachConsumer extends LogConsumer {
  /** `web-1 exited with code 0`. */
  exited(source: LogSource, exitCode: number): void;
}

export interface AttachOptions {
  cascade: Cascade;
  exitCodeFrom?: string;
  /** Unix seconds: output from then on (the moment `up` began). */
  since: number;
  /** Stops the project (what --abort-on-container-exit does once), with its own output. */
  abort(): Promise<void>;
  /** Aborted by the user (Ctrl-C): no more output or exit lines, the stop is the caller's. */
  cancelled: AbortSignal;
}

const seconds = (iso: string | undefined): number => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) && t > 0 ? t / 1000 : Date.now() / 1000;
};

export async function attachProject(
  engine: EngineApi,
  sources: readonly LogSource[],
  consumer: AttachConsumer,
  opts: AttachOptions,
): Promise<number> {
  let aborting = false;
  let exitCode = 0;
  let exitCodeFrom = opts.exitCodeFrom ?? '';
  let stopping: Promise<void> | undefined;
  let stopFailure: unknown;
  opts.cancelled.addEventListener('abort', () => (aborting = true), { once: true });
  const quiet: LogConsumer = {
    write: (s, stream, data) => {
      if (!aborting && !opts.cancelled.aborted) consumer.write(s, stream, data);
    },
    ended: (s) => consumer.ended?.(s),
  };

  const onExit = (source: LogSource, code: number): void => {
    if (!aborting) consumer.exited(source, code);
    if (opts.cascade === 'fail' && code === 0) return;
    if (opts.cascade !== 'ignore' && !aborting) {
      aborting = true;
      stopping = opts.abort().catch((err: unknown) => {
        stopFailure = err;
      });
    }
    if (opts.cascade !== 'ignore' && exitCodeFrom === '') exitCodeFrom = source.service;
    if (exitCodeFrom === source.service) exitCode = code;
  };

  const follow = async (source: LogSource): Promise<void> => {
    let since = opts.since;
    for (;;) {
      // The exit code comes from a wait for the next exit, not a later inspect: a restart policy
      // may have started the container again (code reset) by the time the log stream ends.
      const before = await engine.inspectContainer(source.name).catch(() => undefined);
      if (!before) return; // removed under us
      const running = before.State.Status === 'running' || before.State.Status === 'paused';
      const exit = running
        ? engine.waitContainer(source.name, 'next-exit').then(
            (r) => r.StatusCode,
            () => undefined,
          )
        : Promise.resolve(before.State.ExitCode);
      await streamLogs(engine, [source], { follow: true, since }, quiet);
      // An exit between the inspect and the wait's start is one the wait never sees: then the state says.
      const code = await Promise.race([exit, sleep(1000, undefined, { ref: false })]);
      const c = await engine.inspectContainer(source.name).catch(() => undefined);
      if (!c) return;
      const s0 = c.State;
      const exitCode = code ?? s0.ExitCode;
      if (s0.Status === 'exited' || s0.Status === 'dead' || s0.Status === 'removing') {
        onExit(source, exitCode);
        return;
      }
      if (s0.Status === 'created') {
        await sleep(100);
        continue;
      }
      // Its restart policy brings it back: follow it once it runs again (or stays down).
      if (!aborting) consumer.exited(source, exitCode);
      since = seconds(s0.FinishedAt);
      let now: ContainerInspect | undefined = c;
      while (now && (now.State.Status === 'restarting' || now.State.Restarting)) {
        await sleep(100);
        now = await engine.inspectContainer(source.name).catch(() => undefined);
      }
      if (!now) return;
      if (now.State.Status !== 'running') {
        onExit(source, now.State.ExitCode);
        return;
      }
    }
  };

  await Promise.all(sources.map(follow));
  await stopping;
  if (stopFailure) throw stopFailure;
  return exitCode;
}
