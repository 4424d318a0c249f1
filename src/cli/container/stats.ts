/**
 * `container stats` against the engine: once (`--no-stream`: a sample each, taken a second
 * apart by the engine so CPU % means something), or a table redrawn every second. Without
 * named containers the running ones are shown (all with -a), and the list follows them as they
 * come and go; a named container that cannot be read fails the command, as docker's does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineApi } from '../../engine-api/engine-api';
import { TscomposeError } from '../../common/errors';
import { daemonError } from '../engine-client';
import { shortId } from '../format/listing';
import { renderStats, statsEntry, type StatsEntry } from './render-stats';

export interface StatsCommandOptions {
  targets: string[];
  all: boolean;
  stream: boolean;
  format?: string;
  noTrunc: boolean;
  out: NodeJS.WriteStream;
  /** Which containers the list shows when none is named (compose's `stats`: the project's labels). */
  filters?: Record<string, string[]>;
}

const REFRESH_MS = 1000;
/** How long the first table waits for a container's first sample. */
const FIRST_SAMPLE_MS = 5000;

interface Target {
  ref: string;
  label: string;
}

async function listed(engine: EngineApi, o: StatsCommandOptions): Promise<Target[]> {
  return (await engine.listContainers({ all: o.all, filters: o.filters })).map((c) => ({
    ref: c.Id,
    label: shortId(c.Id),
  }));
}

function failIfAny(errors: string[]): void {
  if (errors.length) throw new TscomposeError(errors.join('\n'), { code: 'STATS' });
}

async function once(engine: EngineApi, o: StatsCommandOptions): Promise<void> {
  const targets = o.targets.length ? o.targets.map((t) => ({ ref: t, label: t })) : await listed(engine, o);
  const errors: string[] = [];
  const entries: StatsEntry[] = [];
  await Promise.all(
    targets.map(async (t, i) => {
      try {
        for await (const s of engine.containerStats(t.ref, { stream: false }))
          entries[i] = statsEntry(s, t.label);
      } catch (err) {
        errors[i] = daemonError(err).message;
      }
    }),
  );
  failIfAny(errors.filter(Boolean));
  o.out.write(renderStats(entries.filter(Boolean), o.format, o.noTrunc));
}

/** Keeps the latest sample of each watched container. */
class Watcher {
  readonly entries = new Map<string, StatsEntry>();
  readonly errors = new Map<string, string>();
  private readonly watched = new Map<string, Promise<void>>();
  private readonly ac = new AbortController();

  constructor(private readonly engine: EngineApi) {}

  watch(t: Target): void {
    if (this.watched.has(t.ref)) return;
    const run = async (): Promise<void> => {
      try {
        for await (const s of this.engine.containerStats(t.ref, { stream: true }, this.ac.signal))
          this.entries.set(t.ref, statsEntry(s, t.label));
      } catch (err) {
        if (this.ac.signal.aborted) return;
        this.errors.set(t.ref, daemonError(err).message);
        const last = this.entries.get(t.ref);
        if (last) this.entries.set(t.ref, { ...last, invalid: true });
      } finally {
        // A stream ends when its container stops: watched again should it start.
        this.watched.delete(t.ref);
      }
    };
    this.watched.set(t.ref, run());
  }

  /** Forgets the containers no longer listed. */
  keepOnly(refs: Set<string>): void {
    for (const ref of this.entries.keys()) if (!refs.has(ref)) this.entries.delete(ref);
  }

  /** Until every watched container has a sample or an error, or the time is up. */
  async firstSamples(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ready = (): boolean =>
      [...this.watched.keys()].every((r) => this.entries.has(r) || this.errors.has(r));
    while (!ready() && Date.now() < deadline) await sleep(20);
  }

  stop(): void {
    this.ac.abort();
  }
}

async function stream(engine: EngineApi, o: StatsCommandOptions): Promise<void> {
  const w = new Watcher(engine);
  const order: string[] = [];
  const refresh = async (): Promise<void> => {
    const targets = o.targets.length ? o.targets.map((t) => ({ ref: t, label: t })) : await listed(engine, o);
    for (const t of targets) {
      if (!order.includes(t.ref)) order.push(t.ref);
      w.watch(t);
    }
    if (!o.targets.length) w.keepOnly(new Set(targets.map((t) => t.ref)));
  };
  try {
    await refresh();
    await w.firstSamples(FIRST_SAMPLE_MS);
    failIfAny(o.targets.flatMap((t) => w.errors.get(t) ?? []));
    for (;;) {
      // Redrawn in place on a terminal; a pipe gets one table after another.
      if (o.out.isTTY) o.out.write('\x1b[2J\x1b[H');
      const entries = order.flatMap((ref) => w.entries.get(ref) ?? []);
      o.out.write(renderStats(entries, o.format, o.noTrunc));
      await sleep(REFRESH_MS);
      await refresh();
    }
  } finally {
    w.stop();
  }
}

export function showStats(engine: EngineApi, o: StatsCommandOptions): Promise<void> {
  return o.stream ? stream(engine, o) : once(engine, o);
}
