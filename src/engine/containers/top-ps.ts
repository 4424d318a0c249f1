/**
 * `docker top <c> <ps options>`: as dockerd, the host's `ps` is run with the options and the
 * container's pids (`-q`, or without it for options that refuse it), and only the rows of the
 * container's processes are kept, found by the PID column; the last column keeps its spaces.
 */
import { execFileSync } from 'node:child_process';
import { InvalidArgumentError, TscomposeError } from '../../common/errors';
import type { ContainerTopResponse } from '../../engine-api/container/types';

/** dockerd refuses to rename a column to look like the PID one (`-o user=PID`). */
function checkArgs(psArgs: string): void {
  for (const m of psArgs.matchAll(/\s+([^\s]*)=\s*(PID[^\s]*)/g)) {
    if (m[1] !== 'pid') throw new InvalidArgumentError(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
}

function runPs(args: string[]): string {
  try {
    return execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    const first = stderr.split('\n')[0];
    throw new TscomposeError(first || `ps: ${(err as Error).message}`, { code: 'PS_FAILED' });
  }
}

/** Whitespace as ASCII only, as dockerd's fieldsASCII. */
const fields = (line: string): string[] => line.split(/[ \t\n\v\f\r]+/).filter(Boolean);

export function topWithPs(pids: number[], psArgs: string): ContainerTopResponse {
  checkArgs(psArgs);
  const args = psArgs.split(' ');
  let output: string;
  try {
    output = runPs([...args, '-q', pids.join(',')]);
  } catch {
    output = runPs(args); // some options (f) do not go with -q
  }
  const lines = output.split('\n');
  const titles = fields(lines[0] ?? '');
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0) throw new InvalidArgumentError("Couldn't find PID field in ps output");
  const wanted = new Set(pids.map(String));
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const f = fields(line);
    if (!f.length || !wanted.has(f[pidIndex])) continue;
    // The last column (a command line) keeps its spaces.
    const head = f.slice(0, titles.length - 1);
    processes.push([...head, f.slice(titles.length - 1).join(' ')]);
  }
  return { Titles: titles, Processes: processes };
}
