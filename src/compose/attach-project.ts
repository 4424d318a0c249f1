/**
 * The attached part of a foreground `up` (docker compose's log printer, `pkg/compose/printer.go`):
 * every attached container's output handed to a consumer until the container exits for good
 * (one its restart policy brings back is followed again), an exit reported, and on the first
 * exit (--abort-on-container-exit, --exit-code-from) or the first failed one
 * (--abort-on-container-failure) the project stopped. It returns once no attached container is
 * left, with docker compose's exit code: the --exit-code-from service's, else under an abort
 * the code of the service whose exit aborted, else 0.
 */
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
      await streamLogs(engine, [source], { follow: true, since }, quiet);
      let c: ContainerInspect;
      try {
        c = await engine.inspectContainer(source.name);
      } catch {
        return; // removed under us
      }
      const s = c.State;
      if (s.Status === 'running' && !s.Restarting) {
        // A restart between the end of the stream and the inspect: follow the new run.
        since = seconds(s.StartedAt);
        continue;
      }
      if (s.Status === 'created') {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const restarting = s.Status === 'restarting' || s.Restarting === true;
      if (!restarting) {
        onExit(source, s.ExitCode);
        return;
      }
      if (!aborting) consumer.exited(source, s.ExitCode);
      since = seconds(s.FinishedAt);
      // Its restart policy brings it back: follow it once it runs again (or stays down).
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const again = await engine.inspectContainer(source.name).catch(() => undefined);
        if (!again) return;
        if (again.State.Status !== 'restarting' && !again.State.Restarting) break;
      }
    }
  };

  await Promise.all(sources.map(follow));
  await stopping;
  if (stopFailure) throw stopFailure;
  return exitCode;
}
