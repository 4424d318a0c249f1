/**
 * Healthchecks as docker runs them: a probe exec'd in the container every interval (every
 * start_interval during the start period), killed at the timeout; `retries` failures in a row
 * make it unhealthy, one success healthy; failures inside the start period do not count until a
 * probe has succeeded. The last 5 probes are kept.
 */
import type { HealthConfig, HealthLogEntry, HealthState } from '../../engine-api/container/types';

const NS_PER_MS = 1_000_000;
const DEFAULTS = { interval: 30_000, timeout: 30_000, retries: 3, startPeriod: 0, startInterval: 5_000 };
const MAX_OUTPUT = 4096;
const KEEP = 5;

export interface ProbeResult {
  exitCode: number;
  output: string;
}

/** Runs the probe command; resolves with its exit code and output, or rejects. */
export type Prober = (args: string[], timeoutMs: number) => Promise<ProbeResult>;

export interface HealthTiming {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  startIntervalMs: number;
}

/** The image's healthcheck with the container's over it; undefined when there is none (or NONE). */
export function effectiveHealthcheck(image?: HealthConfig, own?: HealthConfig): HealthConfig | undefined {
  const merged: HealthConfig = {
    ...image,
    ...Object.fromEntries(Object.entries(own ?? {}).filter(([, v]) => v)),
  };
  if (!merged.Test?.length || merged.Test[0] === 'NONE') return undefined;
  return merged;
}

export function timing(h: HealthConfig): HealthTiming {
  const ms = (ns: number | undefined, dflt: number): number => (ns && ns > 0 ? ns / NS_PER_MS : dflt);
  return {
    intervalMs: ms(h.Interval, DEFAULTS.interval),
    timeoutMs: ms(h.Timeout, DEFAULTS.timeout),
    retries: h.Retries && h.Retries > 0 ? h.Retries : DEFAULTS.retries,
    startPeriodMs: ms(h.StartPeriod, DEFAULTS.startPeriod),
    startIntervalMs: ms(h.StartInterval, DEFAULTS.startInterval),
  };
}

export function probeArgs(test: string[]): string[] {
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', test.slice(1).join(' ')];
  if (test[0] === 'CMD') return test.slice(1);
  return test; // a bare command, as old API clients send it
}

export class HealthMonitor {
  readonly state: HealthState = { Status: 'starting', FailingStreak: 0, Log: [] };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly startedAt = Date.now();
  private everHealthy = false;

  constructor(
    private readonly config: HealthConfig,
    private readonly probe: Prober,
    private readonly onChange: (state: HealthState, statusChanged: boolean) => void,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private inStartPeriod(): boolean {
    return Date.now() - this.startedAt < timing(this.config).startPeriodMs;
  }

  private schedule(): void {
    if (this.stopped) return;
    const t = timing(this.config);
    const delay = this.inStartPeriod() && !this.everHealthy ? t.startIntervalMs : t.intervalMs;
    this.timer = setTimeout(() => void this.runOnce(), delay);
  }

  private async runOnce(): Promise<void> {
    const t = timing(this.config);
    const start = new Date();
    let result: ProbeResult;
    try {
      result = await this.probe(probeArgs(this.config.Test ?? []), t.timeoutMs);
    } catch (err) {
      result = { exitCode: -1, output: (err as Error).message };
    }
    if (this.stopped) return;
    this.record({
      Start: start.toISOString(),
      End: new Date().toISOString(),
      ExitCode: result.exitCode,
      Output: result.output.slice(0, MAX_OUTPUT),
    });
    this.schedule();
  }

  private record(entry: HealthLogEntry): void {
    const before = this.state.Status;
    this.state.Log = [...this.state.Log, entry].slice(-KEEP);
    if (entry.ExitCode === 0) {
      this.everHealthy = true;
      this.state.FailingStreak = 0;
      this.state.Status = 'healthy';
    } else if (!this.inStartPeriod() || this.everHealthy) {
      this.state.FailingStreak++;
      if (this.state.FailingStreak >= timing(this.config).retries) this.state.Status = 'unhealthy';
    }
    this.onChange(this.state, before !== this.state.Status);
  }
}
