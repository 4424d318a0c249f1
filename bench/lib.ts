/** Small helpers shared by the benchmarks: time a command N times, report medians. */
import { spawnSync } from 'node:child_process';

export interface Timing {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Command {
  name: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** One run of `c` in milliseconds; throws if it fails. */
function timeOnce(c: Command): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { cwd: c.cwd, env: c.env ?? process.env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0)
    throw new Error(`${c.name}: exit ${r.status}: ${(r.stderr || r.error?.message || '').slice(0, 300)}`);
  return ms;
}

function timing(name: string, times: number[]): Timing {
  return {
    name,
    runs: times.length,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
  };
}

/** Runs `cmd args` `runs` times (after one warm-up) and returns the timing; throws if it fails. */
export function timeCommand(
  name: string,
  cmd: string,
  args: string[],
  runs: number,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Timing {
  const c = { name, cmd, args, ...opts };
  timeOnce(c);
  return timing(
    name,
    Array.from({ length: runs }, () => timeOnce(c)),
  );
}

/**
 * Several commands timed in turns (one warm-up each, then `runs` rounds of one run each), so a
 * busy moment of the machine costs every one of them alike.
 */
export function timeInTurns(cmds: readonly Command[], runs: number): Timing[] {
  for (const c of cmds) timeOnce(c);
  const times = cmds.map((): number[] => []);
  for (let i = 0; i < runs; i++) cmds.forEach((c, j) => times[j].push(timeOnce(c)));
  return cmds.map((c, j) => timing(c.name, times[j]));
}

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function report(t: Timing, peer?: Timing): void {
  const ratio = peer ? `  (${(t.medianMs / peer.medianMs).toFixed(2)}× ${peer.name})` : '';
  console.log(
    `${t.name.padEnd(48)} median ${t.medianMs.toFixed(1).padStart(8)} ms  [${t.minMs.toFixed(0)}–${t.maxMs.toFixed(0)}] n=${t.runs}${ratio}`,
  );
}
