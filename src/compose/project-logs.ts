/**
 * `logs`: the output of a project's containers (docker compose's `pkg/compose/logs.go`). Without
 * follow, what each container has logged. With follow, the running ones as they write, and, as
 * docker compose's watch does, a followed container that restarts is followed again, a new
 * container of the services (scaled up, recreated) is followed from its start, a container
 * that stops for good gets an `exited with code N` line, and the call ends when no followed
 * container is left (or the signal aborts).
 */
import { NotFoundError, NotImplementedError, TscomposeError } from '../common/errors';
import type { EngineApi } from '../engine-api/engine-api';
import type { ContainerSummary, LogsOptions } from '../engine-api/container/types';
import type { EngineEvent } from '../engine-api/events/types';
import { LABEL } from '../planner/labels';
import type { LogConsumer, LogSource } from './logs';
import { numberOf, projectContainers } from './project-containers';

export interface ProjectLogsOptions extends Pick<
  LogsOptions,
  'follow' | 'since' | 'until' | 'tail' | 'timestamps'
> {
  /** Only these services (empty: every one). */
  services?: readonly string[];
  /** Only the container of this number (`--index`), of the one service named. */
  index?: number;
}

export interface ProjectLogConsumer extends LogConsumer {
  /** Every container before its first line, the ones found at first all at once, sorted by name. */
  register?(source: LogSource): void;
  /** A line about a container rather than from it (`exited with code 0`). */
  status(source: LogSource, message: string): void;
  /** Its logs cannot be read (a `none` log driver): docker compose warns and goes on. */
  unreadable(source: LogSource, message: string): void;
}

type Source = LogSource & { id: string };

/** How long `logs -f` waits, once nothing runs, for a restarted or replacing container to start. */
const RESTART_GRACE_MS = 1500;

/** The name a container's lines go by: `web-1` for `demo-web-1`, a `container_name` as it is. */
export function sourceOf(names: readonly string[], labels: Record<string, string>, id: string): Source {
  const name = (names[0] ?? '').replace(/^\//, '');
  const project = labels[LABEL.project] ?? '';
  const service = labels[LABEL.service] ?? '';
  const number = Number(labels[LABEL.containerNumber] ?? 0);
  const standard = `${project}-${service}-${number}`;
  return { id, name: name === standard ? name.slice(project.length + 1) : name, service, number };
}

const summarySource = (c: ContainerSummary) => sourceOf(c.Names, c.Labels, c.Id);

export async function projectLogs(
  engine: EngineApi,
  project: string,
  opts: ProjectLogsOptions,
  consumer: ProjectLogConsumer,
  signal?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  // The event stream is asked for before the list, so a container started meanwhile is not missed.
  const events = opts.follow ? subscribe(engine, project, stop.signal) : undefined;
  try {
    let containers = await projectContainers(engine, project, { all: true, services: opts.services });
    if (opts.index !== undefined) {
      const service = opts.services?.[0] ?? '';
      containers = containers.filter((c) => numberOf(c) === opts.index);
      if (containers.length === 0)
        throw new TscomposeError(`service "${service}" is not running container #${opts.index}`, {
          code: 'NO_SUCH_CONTAINER',
        });
    }
    const logOpts: LogsOptions = {
      follow: opts.follow,
      since: opts.since,
      until: opts.until,
      tail: opts.tail,
      timestamps: opts.timestamps,
    };
    const sources = containers.map(summarySource);
    for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : 1))) consumer.register?.(s);
    if (!events) {
      await Promise.all(sources.map((s) => stream(engine, s, logOpts, consumer, stop.signal)));
      return;
    }
    const follower = new Follower(engine, logOpts, consumer, stop, opts);
    containers.forEach((c, i) => {
      const running = c.State === 'running' || c.State === 'restarting' || c.State === 'paused';
      follower.attach(sources[i], logOpts, running);
    });
    follower.endIfDone(false);
    await follower.watch(events);
  } finally {
    stop.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}

interface EventFeed {
  first: Promise<IteratorResult<EngineEvent>>;
  rest: AsyncIterator<EngineEvent>;
}

function subscribe(engine: EngineApi, project: string, signal: AbortSignal): EventFeed {
  const filters = { type: ['container'], label: [`${LABEL.project}=${project}`] };
  const it = engine.events({ filters }, signal)[Symbol.asyncIterator]();
  // Starting the first read sends the request now; the rejection of an abort is handled by watch.
  const first = it.next();
  first.catch(() => undefined);
  return { first, rest: it };
}

/**
 * One container's log until it ends; a container removed meanwhile, or our abort, ends it
 * quietly. False when its logs cannot be read.
 */
async function stream(
  engine: EngineApi,
  source: Source,
  opts: LogsOptions,
  consumer: ProjectLogConsumer,
  signal: AbortSignal,
): Promise<boolean> {
  try {
    for await (const chunk of engine.containerLogs(
      source.id,
      { ...opts, stdout: true, stderr: true },
      signal,
    ))
      consumer.write(source, chunk.stream, chunk.data);
  } catch (err) {
    if (err instanceof NotImplementedError) {
      consumer.unreadable(source, (err as Error).message);
      return false;
    }
    if (!signal.aborted && !(err instanceof NotFoundError)) throw err;
  } finally {
    consumer.ended?.(source);
  }
  return true;
}

/** The followed containers: which are streaming, which are still expected to write. */
class Follower {
  /** Containers that still run (or will again): the watch ends when none is left and every stream has ended. */
  private readonly followed = new Set<string>();
  private readonly streaming = new Set<string>();
  /** When a followed container's last run ended (unix seconds): its next run is read from there. */
  private readonly finishedAt = new Map<string, number>();
  /** The start of the run a stream ended in: a run is read once. */
  private readonly startedAt = new Map<string, string>();
  private readonly pending: Promise<void>[] = [];
  private failure: unknown;
  private graceTimer?: NodeJS.Timeout;

  constructor(
    private readonly engine: EngineApi,
    private readonly opts: LogsOptions,
    private readonly consumer: ProjectLogConsumer,
    private readonly stop: AbortController,
    private readonly filter: ProjectLogsOptions,
  ) {}

  attach(source: Source, opts: LogsOptions, follow: boolean): void {
    if (this.stop.signal.aborted) return;
    if (follow) this.followed.add(source.id);
    this.streaming.add(source.id);
    const done = stream(this.engine, source, opts, this.consumer, this.stop.signal)
      .then((readable) => {
        this.streaming.delete(source.id);
        if (!readable) this.followed.delete(source.id);
        return this.settle(source);
      })
      .catch((err) => this.fail(err))
      .finally(() => this.endIfDone());
    this.pending.push(done);
  }

  /** The next run of a container followed before, from where its last one ended. */
  private reattach(source: Source): void {
    this.attach(source, { ...this.opts, tail: 'all', since: this.finishedAt.get(source.id) }, true);
  }

  /** A followed container's stream ended: it stopped, restarts, or already runs again. */
  private async settle(source: Source): Promise<void> {
    if (!this.followed.has(source.id) || this.stop.signal.aborted) return;
    let state;
    try {
      state = (await this.engine.inspectContainer(source.id)).State;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      this.followed.delete(source.id);
      return;
    }
    this.finishedAt.set(source.id, Date.parse(state.FinishedAt) / 1000);
    if (state.Running && !state.Restarting) {
      // --until was reached while it runs, or this run was read already: nothing more to read.
      const seen = this.startedAt.get(source.id) === state.StartedAt;
      this.startedAt.set(source.id, state.StartedAt);
      if (this.opts.until !== undefined || seen) this.followed.delete(source.id);
      // Restarted before its stream noticed the stop.
      else if (!this.streaming.has(source.id)) this.reattach(source);
      return;
    }
    this.consumer.status(source, `exited with code ${state.ExitCode}`);
    // A restarting one comes back with a start event.
    if (!state.Restarting) this.followed.delete(source.id);
  }

  /**
   * Nothing followed and nothing streaming: the watch ends. After a container stopped, only once
   * a moment has passed without a new one: `restart` stops and then starts, and `up` removes a
   * container before its replacement is created.
   */
  endIfDone(grace = true): void {
    clearTimeout(this.graceTimer);
    if (this.followed.size > 0 || this.streaming.size > 0 || this.stop.signal.aborted) return;
    if (!grace) this.stop.abort();
    else this.graceTimer = setTimeout(() => this.endIfDone(false), RESTART_GRACE_MS);
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    this.stop.abort();
  }

  /** Whether a container the events name is one of those this call shows. */
  private wanted(e: EngineEvent): boolean {
    const labels = e.Actor.Attributes;
    const services = this.filter.services ?? [];
    return (
      labels[LABEL.oneoff] !== 'True' &&
      (services.length === 0 || services.includes(labels[LABEL.service] ?? '')) &&
      (this.filter.index === undefined || Number(labels[LABEL.containerNumber]) === this.filter.index)
    );
  }

  private onStart(e: EngineEvent): void {
    if (this.streaming.has(e.Actor.ID)) return;
    const labels = e.Actor.Attributes;
    const source = sourceOf([labels.name ?? ''], labels, e.Actor.ID);
    this.consumer.register?.(source);
    // A new container (scaled up, recreated) from its first line.
    if (this.finishedAt.has(source.id)) this.reattach(source);
    else this.attach(source, { ...this.opts, tail: 'all', since: undefined }, true);
  }

  private onEvent(e: EngineEvent): void {
    if (!this.wanted(e)) return;
    if (e.Action === 'start' || e.Action === 'restart') this.onStart(e);
    // Created: expected to start (a replacement, a scale-up), so the watch waits for it.
    else if (e.Action === 'create') this.followed.add(e.Actor.ID);
    else if (e.Action === 'destroy') {
      this.followed.delete(e.Actor.ID);
      this.endIfDone();
    }
  }

  async watch(feed: EventFeed): Promise<void> {
    try {
      for (
        let next = await feed.first;
        !next.done && !this.stop.signal.aborted;
        next = await feed.rest.next()
      )
        this.onEvent(next.value);
    } catch (err) {
      if (!this.stop.signal.aborted) throw err;
    } finally {
      clearTimeout(this.graceTimer);
      this.stop.abort();
      await Promise.all(this.pending);
      await feed.rest.return?.();
    }
    if (this.failure !== undefined) throw this.failure;
  }
}
