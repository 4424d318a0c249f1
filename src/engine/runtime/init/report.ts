/** The child side of the start protocol: wait for the daemon's go (our config's path), report a failure and exit. */
import fs from 'node:fs';
import { CTL_FD, NETNS_GO, NETNS_READY, STS_FD, type StartFailure } from './protocol';
import { ExecLookupError } from './credentials';

/** A config path is far shorter; more is not our daemon talking, and must not keep us reading. */
const MAX_LINE = 16384;

function readCtlLine(): string {
  const buf = Buffer.alloc(4096);
  let line = '';
  while (!line.endsWith('\n')) {
    const n = fs.readSync(CTL_FD, buf, 0, buf.length, null);
    // n === 0: the daemon closed ctl (a pooled init nobody needed)
    if (n === 0 || line.length > MAX_LINE) process.exit(125);
    line += buf.toString('utf8', 0, n);
  }
  return line.trimEnd();
}

/**
 * Blocks until the daemon sends the path of our config (one line); exits if it gives up on us.
 * `keepCtl`: ctl stays open for the network step (waitForNetwork), and the caller closes it.
 */
export function waitForGo(keepCtl = false): string {
  const line = readCtlLine();
  if (!keepCtl) fs.closeSync(CTL_FD);
  return line;
}

/** Our network namespace exists: the daemon puts the veths in, then says go (or gives up: we exit). */
export function waitForNetwork(): void {
  fs.writeSync(STS_FD, NETNS_READY);
  if (readCtlLine() !== NETNS_GO) process.exit(125);
}

export function closeCtl(): void {
  fs.closeSync(CTL_FD);
}

export function failAndExit(err: unknown): never {
  const failure: StartFailure =
    err instanceof ExecLookupError
      ? { message: err.message, exitCode: err.exitCode }
      : { message: (err as Error)?.message ?? String(err), exitCode: 125 };
  try {
    fs.writeSync(STS_FD, JSON.stringify(failure));
  } catch {
    // nobody listens any more; the exit code still tells
  }
  process.exit(failure.exitCode);
}
